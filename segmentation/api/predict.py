"""Which segment of the active run would a shopper with these values fall into, and what to offer."""

import math

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import StrictFloatField
from core.api.permissions import requires
from core.api.schema import CONFLICT_RESPONSE, UNPROCESSABLE_RESPONSE
from customers.models import FEATURE_VALUE_RANGES, Gender
from segmentation.api.playbook import CampaignSerializer
from segmentation.api.segments import SegmentSerializer
from segmentation.selectors.matches import values_advice


class RecommendationSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    reason = serializers.CharField()


class PredictionSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="match.run.pk")
    segment = SegmentSerializer(source="match.segment")
    distance = serializers.FloatField(source="match.distance")
    recommendations = RecommendationSerializer(many=True)


def _range_field(field_class, feature: str):
    low, high = FEATURE_VALUE_RANGES[feature]
    return field_class(min_value=low, max_value=high, required=False)


@extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
class AttributeValuesField(serializers.JSONField):
    """Attribute name -> number; every problem is reported on the field itself."""

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if not isinstance(values, dict):
            raise serializers.ValidationError("Give the attribute values as an object of name: number.")
        not_numbers = sorted(name for name, value in values.items() if not _is_number(value))
        if not_numbers:
            raise serializers.ValidationError(f"Not a number: {', '.join(not_numbers)}.")
        return {name: float(value) for name, value in values.items()}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class PredictRequestSerializer(serializers.Serializer):
    annual_income = _range_field(StrictFloatField, "annual_income")
    spending_score = _range_field(serializers.IntegerField, "spending_score")
    age = _range_field(serializers.IntegerField, "age")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    recency_days = _range_field(serializers.IntegerField, "recency_days")
    frequency = _range_field(serializers.IntegerField, "frequency")
    monetary = _range_field(StrictFloatField, "monetary")
    avg_basket = _range_field(StrictFloatField, "avg_basket")
    tenure_days = _range_field(serializers.IntegerField, "tenure_days")
    attributes = AttributeValuesField(
        required=False,
        help_text='Values of the declared attributes the active run uses, e.g. {"visits_per_month": 6}.',
    )

    def shopper_values(self) -> dict[str, float | str]:
        """Every value given, built-in and attribute, by feature name."""
        values = dict(self.validated_data)
        return {**values, **values.pop("attributes", {})}


class PredictApiView(APIView):
    """Which segment of the active run would a shopper with these values fall into, and which
    campaigns suit them? Every value the active run clusters on is needed (422 otherwise)."""

    permission_classes = [requires("segmentation.view_segment")]

    @extend_schema(
        request=PredictRequestSerializer,
        responses={200: PredictionSerializer, 409: CONFLICT_RESPONSE, 422: UNPROCESSABLE_RESPONSE},
    )
    def post(self, request):
        values = PredictRequestSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        return Response(PredictionSerializer(values_advice(values=values.shopper_values())).data)
