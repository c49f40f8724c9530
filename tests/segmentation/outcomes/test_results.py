"""Measured results by segment, and a segment's campaigns ranked on them: planted outcomes among the
members of a known segment, read back as counts, rates, lift and the order and words of the advice."""

import pytest

from segmentation.engine.lift import GroupOutcome, lift
from segmentation.models import Campaign
from segmentation.outcomes.ranking import segment_campaigns_ranked, top_campaigns
from segmentation.outcomes.results import campaign_report, run_campaign_results, segment_campaign_results
from segmentation.recommendations import recommendations_for_values
from tests.factories import CustomerFactory
from tests.segmentation.outcomes.conftest import members, sends

pytestmark = pytest.mark.django_db


def campaign(title: str) -> Campaign:
    return Campaign.objects.get(title=title)


def test_results_count_sends_responses_revenue_and_lift_by_segment(premium):
    customers, offers = members(premium), campaign("Exclusive offers")
    sends(customers[:10], offers, responded=6, revenue="25")
    sends(customers[10:], offers, responded=1, control=True, revenue="5")
    newcomer = CustomerFactory(annual_income=100, spending_score=80)
    sends([newcomer], offers, responded=1)

    by_segment = run_campaign_results(premium.run)
    result = by_segment[premium.pk][offers.pk]

    assert result.sent == GroupOutcome(sends=10, responses=6, revenue=150.0)
    assert result.held_back == GroupOutcome(sends=5, responses=1, revenue=5.0)
    assert result.sent.revenue_per_send == 15.0
    assert result.lift == lift(result.sent, result.held_back, min_sends=5)
    assert result.lift.difference == pytest.approx(0.4)
    assert by_segment[None][offers.pk].sent.sends == 1  # the run never segmented the newcomer
    assert segment_campaign_results(premium)[offers.pk] == result


def test_a_campaign_report_gives_every_segment_of_the_active_run_and_the_total(premium):
    offers = campaign("Exclusive offers")
    sends(members(premium)[:10], offers, responded=6)

    report = campaign_report(offers.pk)

    assert report.run == premium.run and report.total.sent.sends == 10 and report.outside_run is None
    rows = dict(report.by_segment)
    assert len(rows) == 4 and rows[premium].sent.sends == 10
    assert all(result is None for segment, result in report.by_segment if segment != premium)


def test_measured_campaigns_rank_first_by_lift_the_others_keep_the_playbook_order(premium):
    customers = members(premium)
    offers, luxury, vip = (
        campaign(title) for title in ("Exclusive offers", "Luxury brand promotions", "VIP membership")
    )
    sends(customers[:10], offers, responded=4)
    sends(customers[10:], offers, responded=1, control=True)  # +20 points
    sends(customers[:10], vip, responded=9)
    sends(customers[10:], vip, responded=0, control=True)  # +90 points
    sends(customers[:10], luxury, responded=8)  # no control group: its lift is unknown

    ranked = segment_campaigns_ranked(premium)

    assert [entry.campaign for entry in ranked] == [vip, offers, luxury]
    assert ranked[0].note.startswith("Ranked by measured results: 90% of the 10 customers sent it responded")
    assert "against 0% of the 5 held back: 90 points more responses (95% interval" in ranked[0].note
    assert "the interval includes no effect" in ranked[1].note
    assert (
        "no control group was held back" in ranked[2].note and "keeps the playbook's place" in ranked[2].note
    )
    assert top_campaigns(premium.run, [premium]) == {premium.pk: vip}


def test_too_few_sends_keep_the_playbook_order_and_say_how_many_are_needed(premium, settings):
    settings.CAMPAIGN_MIN_SENDS = 30
    customers = members(premium)
    vip = campaign("VIP membership")
    sends(customers[:10], vip, responded=9)
    sends(customers[10:], vip, responded=0, control=True)

    ranked = segment_campaigns_ranked(premium)

    assert [entry.campaign.title for entry in ranked] == [
        "Exclusive offers",
        "Luxury brand promotions",
        "VIP membership",
    ]
    assert ranked[0].note == "" and "Ranking on results needs 30 customers in each group" in ranked[2].note


def test_a_recommendation_says_its_campaign_was_ranked_on_measured_results(premium):
    customers = members(premium)
    vip = campaign("VIP membership")
    sends(customers[:10], vip, responded=9)
    sends(customers[10:], vip, responded=0, control=True)

    recommendations = recommendations_for_values(
        values={"annual_income": 100, "spending_score": 80}, run=premium.run, segment=premium
    )

    assert recommendations[0].campaign == vip
    assert "one of the Premium Shoppers. Offer VIP membership:" in recommendations[0].reason
    assert (
        "Ranked by measured results: 90% of the 10 customers sent it responded" in recommendations[0].reason
    )
    assert "Ranked" not in recommendations[1].reason


def test_without_outcomes_the_advice_is_the_playbooks(premium):
    ranked = segment_campaigns_ranked(premium)

    assert [entry.campaign.title for entry in ranked] == [
        "Exclusive offers",
        "Luxury brand promotions",
        "VIP membership",
    ]
    assert all(entry.note == "" and entry.result is None for entry in ranked)


def test_a_runs_results_are_cached_until_the_outcomes_change(premium, django_assert_num_queries):
    customers, offers = members(premium), campaign("Exclusive offers")
    sends(customers[:5], offers, responded=1)
    first = run_campaign_results(premium.run)

    with django_assert_num_queries(2):  # the state the results were computed on, no grouping
        assert run_campaign_results(premium.run) == first
    sends(customers[5:10], offers, responded=5)

    assert run_campaign_results(premium.run)[premium.pk][offers.pk].sent.sends == 10
