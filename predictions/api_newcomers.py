"""The new-member mode of predict over the API: the segment a shopper with no purchases and no
spending score yet will most likely join, from age, gender and income."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import StrictFloatField
from core.api.permissions import requires
from core.api.schema import CONFLICT_RESPONSE
from core.exceptions import Conflict
from customers.models import VALUE_RANGES, Gender
from predictions.engine import NotEnoughToLearnError
from predictions.newcomers import newcomer_guess
from segmentation.api.predict import RecommendationSerializer
from segmentation.api.segments import SegmentSerializer
from segmentation.selectors.matches import NO_ACTIVE_RUN
from segmentation.selectors.segments import active_run_segments


class NewcomerRequestSerializer(serializers.Serializer):
    age = serializers.IntegerField(min_value=VALUE_RANGES["age"][0], max_value=VALUE_RANGES["age"][1])
    gender = serializers.ChoiceField(choices=Gender.choices)
    annual_income = StrictFloatField(
        min_value=VALUE_RANGES["annual_income"][0], max_value=VALUE_RANGES["annual_income"][1]
    )


class NewcomerGuessSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="segment.run_id")
    segment = SegmentSerializer()
    probability = serializers.FloatField(help_text="How likely this segment is for these values.")
    accuracy = serializers.FloatField(
        source="model.accuracy", help_text="Share of held-out members guessed right."
    )
    baseline_accuracy = serializers.FloatField(
        source="model.baseline_accuracy", help_text="The same share for always guessing the largest segment."
    )
    held_out = serializers.IntegerField(
        source="model.held_out", help_text="Members the accuracy was measured on."
    )
    beats_baseline = serializers.BooleanField(source="model.beats_baseline")
    recommendations = RecommendationSerializer(many=True)


class NewcomerApiView(APIView):
    """Which segment of the active run will a new member (no purchases, no spending score yet)
    most likely join? Learnt from the run's members on age, gender and income, with the
    accuracy measured on members it never saw (409 with no active run, or too few members)."""

    permission_classes = [requires("segmentation.view_segment")]

    @extend_schema(
        request=NewcomerRequestSerializer, responses={200: NewcomerGuessSerializer, 409: CONFLICT_RESPONSE}
    )
    def post(self, request):
        values = NewcomerRequestSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        run, _ = active_run_segments()
        if run is None:
            raise Conflict(NO_ACTIVE_RUN)
        try:
            guess = newcomer_guess(run=run, values=dict(values.validated_data))
        except NotEnoughToLearnError as error:
            raise Conflict(str(error)) from error
        return Response(NewcomerGuessSerializer(guess).data)
