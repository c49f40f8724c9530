"""A segment's campaigns in order of what they achieved with its customers, once that is known.

The playbook's order stands until a campaign has been measured: sent to, and held back from, at
least ``CAMPAIGN_MIN_SENDS`` of the segment's customers each. Measured campaigns come first, by
lift (response rate above the control group's), the others after them in the playbook's order.
Each campaign carries a note saying which order it is in and why, for its recommendation reason.
"""

from dataclasses import dataclass

from django.conf import settings

from segmentation.models import Campaign, Segment, SegmentationRun
from segmentation.outcomes.results import CampaignResult, run_campaign_results, segment_campaign_results


@dataclass(frozen=True)
class RankedCampaign:
    campaign: Campaign
    result: CampaignResult | None  # None: never sent to these customers
    note: str  # what the outcomes say, for the reason; "" when there are none


def campaigns_ranked(campaigns: list[Campaign], results: dict[int, CampaignResult]) -> list[RankedCampaign]:
    """``campaigns`` (the playbook's order) ranked on ``results`` (campaign ID -> result)."""
    measured = sorted(
        (campaign for campaign in campaigns if campaign.pk in results and results[campaign.pk].measured),
        key=lambda campaign: -results[campaign.pk].lift.difference,
    )
    unmeasured = [campaign for campaign in campaigns if campaign not in measured]
    return [
        RankedCampaign(
            campaign=campaign, result=results.get(campaign.pk), note=_note(results.get(campaign.pk))
        )
        for campaign in measured + unmeasured
    ]


def segment_campaigns_ranked(segment: Segment) -> list[RankedCampaign]:
    """The campaigns of the segment's persona, ranked on what they achieved with its members."""
    if segment.persona is None:
        return []
    return campaigns_ranked(segment.persona.ordered_campaigns(), segment_campaign_results(segment))


def segments_campaigns_ranked(
    run: SegmentationRun, segments: list[Segment]
) -> dict[int, list[RankedCampaign]]:
    """Segment ID -> its persona's campaigns ranked on the run's results (read once), for each of
    ``segments`` (of ``run``) that has a persona."""
    results = run_campaign_results(run)
    return {
        segment.pk: campaigns_ranked(segment.persona.ordered_campaigns(), results.get(segment.pk, {}))
        for segment in segments
        if segment.persona is not None
    }


def top_campaigns(run: SegmentationRun, segments: list[Segment]) -> dict[int, Campaign]:
    """Segment ID -> the campaign ranked first for it (segments with a persona and campaigns)."""
    ranked = segments_campaigns_ranked(run, segments)
    return {segment_id: campaigns[0].campaign for segment_id, campaigns in ranked.items() if campaigns}


def _note(result: CampaignResult | None) -> str:
    if result is None:
        return ""
    sent, held_back, lift = result.sent, result.held_back, result.lift
    if not sent.sends:
        return f"Only a control group ({held_back.sends:,} customers) so far; it keeps the playbook's place."
    reach = f"{sent.response_rate:.0%} of the {sent.sends:,} customers sent it responded"
    if lift is None:
        return (
            f"Measured so far: {reach}, but no control group was held back, so what the campaign "
            "added is unknown; it keeps the playbook's place."
        )
    comparison = (
        f"{reach} against {held_back.response_rate:.0%} of the {held_back.sends:,} held back: "
        f"{_points(lift.difference)} (95% interval {_points(lift.low, signed=True)} to "
        f"{_points(lift.high, signed=True)} points), {sent.revenue_per_send:,.2f} revenue per send"
    )
    if not lift.enough:
        return (
            f"Measured so far: {comparison}. Ranking on results needs {settings.CAMPAIGN_MIN_SENDS} "
            "customers in each group, so it keeps the playbook's place."
        )
    doubt = "" if lift.significant else "; the interval includes no effect, so the order may change"
    return f"Ranked by measured results: {comparison}{doubt}."


def _points(share: float, *, signed: bool = False) -> str:
    """A difference of rates in percentage points: "12 points more responses", or "+12.3" in an
    interval (a tenth of a point, so a bound just above zero does not read as zero)."""
    if signed:
        return f"{share * 100:+.1f}"
    points = round(share * 100)
    if points == 0:
        return "no more responses"
    return f"{abs(points)} points {'more' if points > 0 else 'fewer'} responses"
