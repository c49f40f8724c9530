"""Campaign outcomes: the stored sends (read-only; they arrive by import, kind ``outcomes``), and a
campaign's measured results by segment of the active run."""

import django_filters
from rest_framework import serializers, viewsets

from core.api.fields import StrictModelSerializer
from core.api.filters import BooleanFilter, IntegerFilter, NoBlankChoicesOrNumbersForm
from core.api.pagination import IdCursorPagination
from core.api.permissions import ModelPermissions
from core.api.routing import IdLookup
from core.api.schema import page_size_errors
from segmentation.models import CampaignOutcome


class CampaignOutcomeSerializer(StrictModelSerializer):
    class Meta:
        model = CampaignOutcome
        fields = ["id", "customer", "campaign", "sent_on", "control", "responded", "revenue"]


class CampaignOutcomeFilter(django_filters.FilterSet):
    campaign = IntegerFilter(help_text="Campaign id.")
    customer = IntegerFilter(help_text="Customer id.")
    control = BooleanFilter(help_text="true: the control group only; false: the customers sent it only.")
    sent_from = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="gte", help_text="Sent on or after."
    )
    sent_until = django_filters.DateFilter(
        field_name="sent_on", lookup_expr="lte", help_text="Sent on or before."
    )

    class Meta:
        model = CampaignOutcome
        fields = ["campaign", "customer", "control"]
        form = NoBlankChoicesOrNumbersForm


@page_size_errors("list")
class CampaignOutcomeViewSet(IdLookup, viewsets.ReadOnlyModelViewSet):
    """Who was sent which campaign, or held back from it, and whether they responded."""

    queryset = CampaignOutcome.objects.all()
    serializer_class = CampaignOutcomeSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    filterset_class = CampaignOutcomeFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]


class GroupSerializer(serializers.Serializer):
    sends = serializers.IntegerField()
    responses = serializers.IntegerField()
    response_rate = serializers.FloatField()
    revenue = serializers.FloatField()
    revenue_per_send = serializers.FloatField()


class LiftSerializer(serializers.Serializer):
    difference = serializers.FloatField(help_text="Response rate of those sent it minus the control group's.")
    low = serializers.FloatField(help_text="95% interval, lower end (Newcombe's hybrid score method).")
    high = serializers.FloatField(help_text="95% interval, upper end.")
    enough = serializers.BooleanField(
        help_text="Both groups reach CAMPAIGN_MIN_SENDS: the lift ranks campaigns."
    )
    significant = serializers.BooleanField(help_text="The interval excludes zero.")


class CampaignResultSerializer(serializers.Serializer):
    sent = GroupSerializer(help_text="The customers sent the campaign.")
    held_back = GroupSerializer(help_text="The control group: picked, deliberately not sent it.")
    lift = LiftSerializer(allow_null=True, help_text="Null unless both groups have customers.")


class SegmentResultSerializer(serializers.Serializer):
    segment = serializers.IntegerField(
        allow_null=True, help_text="Null: customers the run has not segmented."
    )
    segment_name = serializers.CharField(allow_null=True)
    result = CampaignResultSerializer(allow_null=True, help_text="Null: never sent to these customers.")


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()
    run = serializers.IntegerField(allow_null=True, help_text="The active run whose segments are used.")
    min_sends = serializers.IntegerField(help_text="Sends each group needs before the lift ranks campaigns.")
    total = CampaignResultSerializer(allow_null=True, help_text="Among all customers; null: no outcome yet.")
    segments = SegmentResultSerializer(many=True)
