"""Personas and campaigns: read for Marketing, write for staff, through the playbook services."""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.fields import StrictModelSerializer
from core.api.pagination import IdCursorPagination
from core.api.permissions import ModelPermissions, requires
from core.api.routing import IdLookup
from core.api.schema import CONFLICT_RESPONSE, page_size_errors, refuses_duplicates
from core.api.writes import ServiceWritesMixin, WriteServices
from segmentation import engine_adapter
from segmentation.api.outcomes import CampaignResultsSerializer
from segmentation.models import Campaign, Persona
from segmentation.outcomes.results import campaign_report
from segmentation.selectors.features import numeric_features
from segmentation.services.playbook import (
    campaign_create,
    campaign_delete,
    campaign_update,
    persona_create,
    persona_delete,
    persona_update,
)


class CampaignSerializer(StrictModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "title", "channel", "offer", "rationale"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            feature: {"type": "string", "enum": list(engine_adapter.LEVELS)}
            for feature in engine_adapter.NUMERIC_FEATURES
        },
        "additionalProperties": False,
        "minProperties": 1,
        "example": {"annual_income": "high", "spending_score": "low"},
    }
)
class PersonaRuleField(serializers.JSONField):
    """The levels a segment needs to earn the persona: a level for one or more numeric features.
    The schema lists the built-in ones; the names of attributes the mall declared are accepted too."""


class PersonaSerializer(StrictModelSerializer):
    campaigns = serializers.SerializerMethodField()
    rule = PersonaRuleField(help_text=Persona._meta.get_field("rule").help_text)

    class Meta:
        model = Persona
        fields = ["id", "name", "description", "rule", "campaigns"]

    def validate_rule(self, rule: object) -> object:
        engine_adapter.persona_rule_validate(rule, numeric_features=numeric_features())
        return rule

    def get_campaigns(self, persona: Persona) -> list[int]:
        """Campaign ids, in order of recommendation."""
        return [campaign.pk for campaign in persona.ordered_campaigns()]


@refuses_duplicates
@page_size_errors()
class CampaignViewSet(IdLookup, ServiceWritesMixin, viewsets.ModelViewSet):
    """The campaign playbook: read for Marketing, write for staff."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    write_services = WriteServices(create=campaign_create, update=campaign_update, delete=campaign_delete)

    @extend_schema(responses={204: None, 409: CONFLICT_RESPONSE})
    def destroy(self, request, *args, **kwargs):
        """Delete a campaign; one with recorded outcomes is kept (409), so its results are not lost."""
        return super().destroy(request, *args, **kwargs)

    @extend_schema(responses={200: CampaignResultsSerializer})
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        permission_classes=[requires("segmentation.view_campaign", "segmentation.view_campaignoutcome")],
    )
    def results(self, request, pk=None):
        """Response rate, revenue per send and lift against the control group: among all customers
        and by segment of the active run."""
        campaign = self.get_object()
        report = campaign_report(campaign.pk)
        segments = [
            {"segment": segment.pk, "segment_name": segment.name, "result": result}
            for segment, result in report.by_segment
        ]
        if report.outside_run is not None:
            segments.append({"segment": None, "segment_name": None, "result": report.outside_run})
        payload = {
            "campaign": campaign.pk,
            "run": report.run.pk if report.run else None,
            "min_sends": settings.CAMPAIGN_MIN_SENDS,
            "total": report.total,
            "segments": segments,
        }
        return Response(CampaignResultsSerializer(payload).data)


@refuses_duplicates
@page_size_errors()
class PersonaViewSet(IdLookup, ServiceWritesMixin, viewsets.ModelViewSet):
    """Personas and their matching rules: read for Marketing, write for staff."""

    queryset = Persona.objects.prefetch_related("campaign_links__campaign")
    serializer_class = PersonaSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    write_services = WriteServices(create=persona_create, update=persona_update, delete=persona_delete)
