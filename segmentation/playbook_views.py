"""Portal pages of the playbook: every persona and campaign, a persona with its segments and
campaigns ranked by what they achieved there, a campaign's measured results by segment, and the
customer page's panel of the campaigns a customer was sent."""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.views import View

from customers.models import Customer
from segmentation.models import Campaign, Persona
from segmentation.outcomes.ranking import segments_campaigns_ranked
from segmentation.outcomes.results import campaign_report, campaigns_totals
from segmentation.selectors.segments import active_run_segments

CUSTOMER_OUTCOMES_SHOWN = 20


class PlaybookView(PermissionRequiredMixin, View):
    permission_required = ("segmentation.view_persona", "segmentation.view_campaign")

    def get(self, request):
        context = {
            "personas": Persona.objects.prefetch_related("campaign_links__campaign"),
            "campaigns": Campaign.objects.all(),
            "totals": campaigns_totals(),
        }
        return render(request, "segmentation/playbook.html", context)


class PersonaDetailView(PermissionRequiredMixin, View):
    permission_required = ("segmentation.view_persona", "segmentation.view_campaign")

    def get(self, request, pk):
        persona = get_object_or_404(Persona.objects.prefetch_related("campaign_links__campaign"), pk=pk)
        run, segments = active_run_segments()
        its_segments = [segment for segment in segments if segment.persona_id == persona.pk]
        ranked = segments_campaigns_ranked(run, its_segments) if its_segments else {}
        context = {
            "persona": persona,
            "run": run,
            "campaigns": persona.ordered_campaigns(),
            "segments_ranked": [(segment, ranked[segment.pk]) for segment in its_segments],
        }
        return render(request, "segmentation/persona_detail.html", context)


class CampaignDetailView(PermissionRequiredMixin, View):
    permission_required = ("segmentation.view_campaign", "segmentation.view_campaignoutcome")

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        context = {
            "campaign": campaign,
            "personas": Persona.objects.filter(campaign_links__campaign=campaign).order_by("name"),
            "report": campaign_report(campaign.pk),
            "min_sends": settings.CAMPAIGN_MIN_SENDS,
        }
        return render(request, "segmentation/campaign_detail.html", context)


def customer_outcomes_panel(customer: Customer) -> dict:
    """The customer page's panel: the campaigns sent to the customer, or held back, newest first."""
    return {"outcomes": customer.campaign_outcomes.select_related("campaign")[:CUSTOMER_OUTCOMES_SHOWN]}
