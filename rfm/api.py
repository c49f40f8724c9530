"""RFM segments with their rules and totals, their members (cursor-paginated) and export (CSV)."""

from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from core.api.fields import StrictModelSerializer
from core.api.pagination import IdCursorPagination
from core.api.permissions import requires
from core.api.routing import IdLookup
from core.api.schema import page_size_errors
from rfm.exports import rfm_members_csv_response
from rfm.models import SCORE_RANGE, CustomerRfm, RfmSegment
from rfm.selectors import rfm_segment_members, rfm_segments_with_totals

VIEW_SEGMENTS = "rfm.view_rfmsegment"


class ScoreRangeSerializer(serializers.Serializer):
    min = serializers.IntegerField(min_value=SCORE_RANGE[0], max_value=SCORE_RANGE[1])
    max = serializers.IntegerField(min_value=SCORE_RANGE[0], max_value=SCORE_RANGE[1])


class RuleSerializer(serializers.Serializer):
    """The scores a customer needs, each a range of 1–5 with both ends included."""

    recency = ScoreRangeSerializer()
    frequency = ScoreRangeSerializer()
    monetary = ScoreRangeSerializer()


class RfmSegmentSerializer(StrictModelSerializer):
    rule = RuleSerializer(read_only=True)
    customers = serializers.IntegerField(read_only=True, help_text="Customers in the segment now.")
    revenue = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, help_text="Their net spend within the window."
    )

    class Meta:
        model = RfmSegment
        fields = ["id", "name", "description", "priority", "colour", "rule", "customers", "revenue"]


class RfmMemberSerializer(StrictModelSerializer):
    id = serializers.IntegerField(source="customer_id", help_text="The customer's id.")
    external_id = serializers.CharField(source="customer.external_id")
    recency_days = serializers.IntegerField(source="customer.behaviour.recency_days")
    frequency = serializers.IntegerField(source="customer.behaviour.frequency")
    monetary = serializers.DecimalField(max_digits=16, decimal_places=2, source="customer.behaviour.monetary")

    class Meta:
        model = CustomerRfm
        fields = [
            "id", "external_id", "recency_score", "frequency_score", "monetary_score",
            "recency_days", "frequency", "monetary",
        ]  # fmt: skip


class RfmMemberPagination(IdCursorPagination):
    ordering = "customer_id"


@page_size_errors("members")
class RfmSegmentViewSet(IdLookup, viewsets.ReadOnlyModelViewSet):
    """Named RFM segments: each one's rule on the R, F and M scores (a customer is in the first
    segment, by priority, whose rule holds), with its customers and their revenue."""

    serializer_class = RfmSegmentSerializer
    permission_classes = [requires(VIEW_SEGMENTS)]
    pagination_class = None

    def get_queryset(self):
        if self.action in ("list", "retrieve"):
            return rfm_segments_with_totals()
        return RfmSegment.objects.all()

    @extend_schema(responses={200: RfmMemberSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        pagination_class=RfmMemberPagination,
        permission_classes=[requires(VIEW_SEGMENTS, "rfm.view_customerrfm")],
    )
    def members(self, request, pk=None):
        """The segment's customers with their scores and behaviour values, cursor-paginated by customer id."""
        page = self.paginate_queryset(rfm_segment_members(segment=self.get_object()))
        return self.get_paginated_response(RfmMemberSerializer(page, many=True).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[requires(VIEW_SEGMENTS, "rfm.view_customerrfm", "rfm.export_rfm_members")],
    )
    def export(self, request, pk=None):
        """The segment's customers as CSV (formula-safe)."""
        segment = self.get_object()
        return rfm_members_csv_response(
            members=rfm_segment_members(segment=segment), filename=f"rfm-{slugify(segment.name)}.csv"
        )
