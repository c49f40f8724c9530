"""Segments of a run (the active run unless ``?run=`` names another), their members and audience."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from core.api.fields import StrictModelSerializer
from core.api.pagination import IdCursorPagination
from core.api.permissions import requires
from core.api.routing import IdLookup
from core.api.schema import page_size_errors
from segmentation.api.playbook import CampaignSerializer
from segmentation.api.quality import CautionsField
from segmentation.exports import audience_csv_response
from segmentation.models import Assignment, Persona, Segment
from segmentation.selectors.segments import segment_members, segments_of_run, segments_with_personas


class PersonaSummarySerializer(StrictModelSerializer):
    campaigns = CampaignSerializer(many=True, source="ordered_campaigns")

    class Meta:
        model = Persona
        fields = ["id", "name", "description", "campaigns"]


class SegmentSerializer(StrictModelSerializer):
    persona = PersonaSummarySerializer(allow_null=True)
    cautions = CautionsField(read_only=True)

    class Meta:
        model = Segment
        fields = [
            "id", "run", "number", "name", "persona", "size", "share",
            "centroid", "medians", "levels", "gender_shares", "silhouette", "stability", "cautions",
        ]  # fmt: skip


class MemberSerializer(StrictModelSerializer):
    id = serializers.IntegerField(source="customer.id")
    external_id = serializers.CharField(source="customer.external_id")
    gender = serializers.CharField(source="customer.gender")
    age = serializers.IntegerField(source="customer.age")
    annual_income = serializers.FloatField(source="customer.annual_income")
    spending_score = serializers.IntegerField(source="customer.spending_score")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "external_id",
            "gender",
            "age",
            "annual_income",
            "spending_score",
            "distance",
            "placed",
        ]


class MemberPagination(IdCursorPagination):
    ordering = "customer_id"


class SegmentListQuerySerializer(serializers.Serializer):
    run = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Run id (default: the active run)."
    )


@page_size_errors("members")
@extend_validation_errors(
    ["invalid", "max_value", "min_value", "max_string_length"], field_name="run", actions=["list"]
)
class SegmentViewSet(IdLookup, viewsets.ReadOnlyModelViewSet):
    """Segments of a run (the active run unless ?run= names another), with their members."""

    serializer_class = SegmentSerializer
    permission_classes = [requires("segmentation.view_segment")]
    pagination_class = None

    def get_queryset(self):
        if self.action != "list":
            return segments_with_personas()
        # A plain dict, so that an empty ?run= is refused rather than read as "not given".
        query = SegmentListQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        return segments_of_run(run_id=query.validated_data.get("run"))

    @extend_schema(parameters=[SegmentListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MemberSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=MemberPagination)
    def members(self, request, pk=None):
        """The segment's customers, cursor-paginated by customer id."""
        page = self.paginate_queryset(segment_members(segment=self.get_object()))
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[requires("segmentation.view_segment", "segmentation.export_audience")],
    )
    def export(self, request, pk=None):
        """The segment's audience as CSV (formula-safe)."""
        return audience_csv_response(self.get_object())
