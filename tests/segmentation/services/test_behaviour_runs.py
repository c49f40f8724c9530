"""Runs on behaviour features (recency, frequency, spend...): customers without purchases are left
out and counted, never imputed, and stay without a segment when new customers are placed."""

import pytest
from django.urls import reverse

from customers.models import Customer
from segmentation.models import Assignment, SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from tests.factories import CustomerFactory, behaviour_for, run_now

pytestmark = pytest.mark.django_db
RFM = ["recency_days", "frequency", "monetary"]


@pytest.fixture
def shoppers(db):
    """Three behaviour groups of 20 customers with purchases, and 7 customers without any."""
    groups = [(5, 12, 900), (40, 4, 200), (300, 1, 30)]  # loyal, occasional, lapsed
    for recency, frequency, monetary in groups:
        for offset in range(20):
            behaviour_for(
                CustomerFactory(),
                recency_days=recency + offset,
                frequency=frequency + offset % 3,
                monetary=monetary + 7 * offset,
            )
    CustomerFactory.create_batch(7)


def test_a_behaviour_run_segments_only_customers_with_purchases_and_counts_the_others(shoppers):
    run = run_now(features=RFM, k=3)

    assert run.status == SegmentationRun.Status.SUCCEEDED, run.error
    assert (run.customer_count, run.customers_without_history) == (60, 7)
    assert Assignment.objects.filter(run=run).count() == 60
    without = Customer.objects.filter(behaviour__isnull=True)
    assert not Assignment.objects.filter(run=run, customer__in=without).exists()
    sizes = sorted(run.segments.values_list("size", flat=True))
    assert sizes == [20, 20, 20]
    assert set(run.population) >= {"recency_days", "monetary", "annual_income"}


def test_a_demographic_run_still_segments_everybody(shoppers):
    run = run_now(features=["annual_income", "spending_score"], k=3)

    assert (run.customer_count, run.customers_without_history) == (67, 0)
    sample = run.scatter_sample
    recency = sample["columns"].index("recency_days")
    assert any(row[recency] is None for row in sample["rows"])  # no purchases: no value, not zero
    # the run reads no behaviour, yet its chart sample carries it (read for the sampled customers)
    assert sum(row[recency] is not None for row in sample["rows"]) == 60


def test_log_scaling_runs_and_keeps_centroids_in_original_units(shoppers):
    run = run_now(features=RFM, k=3, scaling="log")

    spends = sorted(segment.centroid["monetary"] for segment in run.segments.all())
    assert spends[0] == pytest.approx(30 + 7 * 9.5, rel=0.01) and spends[-1] > 900


def test_new_customers_are_placed_only_when_they_have_purchases(shoppers):
    run = run_now(features=RFM, k=3)
    with_purchases, without = CustomerFactory(), CustomerFactory()
    behaviour_for(with_purchases, recency_days=6, frequency=12, monetary=950)

    assert segmentation_place_new_customers(run=run) == 1

    placed = Assignment.objects.get(run=run, customer=with_purchases)
    assert placed.placed and not Assignment.objects.filter(run=run, customer=without).exists()


# PAGES AND PREDICTIONS ON A BEHAVIOUR RUN


def test_a_customers_page_says_no_purchase_history_under_a_behaviour_run(shoppers, marketing_client):
    run_now(features=RFM, k=3)
    without = Customer.objects.filter(behaviour__isnull=True).first()
    shopper = Customer.objects.filter(behaviour__isnull=False).first()

    lacking = marketing_client.get(without.get_absolute_url()).content.decode()
    segmented = marketing_client.get(shopper.get_absolute_url())

    assert "No purchase history" in lacking and "in no segment" in lacking
    assert segmented.status_code == 200 and "in no segment" not in segmented.content.decode()


def test_the_predict_page_asks_for_the_behaviour_values(shoppers, marketing_client):
    run_now(features=RFM, k=3)

    page = marketing_client.get(reverse("segmentation:predict"))
    answer = marketing_client.get(
        reverse("segmentation:predict"), {"recency_days": 6, "frequency": 12, "monetary": 950}
    )

    assert "Days since the last purchase" in page.content.decode()
    assert answer.status_code == 200 and answer.context["match"].segment.size == 20


def test_the_predict_api_takes_behaviour_values(shoppers, marketing_api):
    run_now(features=RFM, k=3)

    response = marketing_api.post(
        "/api/v1/predict/", {"recency_days": 300, "frequency": 1, "monetary": 40.5}, format="json"
    )
    missing = marketing_api.post("/api/v1/predict/", {"recency_days": 300}, format="json")

    assert response.status_code == 200 and response.json()["segment"]["size"] == 20
    assert missing.status_code == 422


# BEHAVIOUR PERSONAS AND THEIR REASONS


@pytest.fixture
def behaviour_groups(db):
    """Loyal regulars, lapsed high spenders and occasional visitors, 20 each."""
    groups = {"loyal": (5, 12, 900), "lapsed": (300, 2, 1_500), "occasional": (60, 1, 100)}
    members = {}
    for name, (recency, frequency, monetary) in groups.items():
        members[name] = [
            behaviour_for(
                CustomerFactory(),
                recency_days=recency + offset,
                frequency=frequency,
                monetary=monetary + offset,
            ).customer
            for offset in range(20)
        ]
    return members


def test_behaviour_segments_earn_the_behaviour_personas(behaviour_groups):
    run = run_now(features=["recency_days", "frequency", "monetary"], k=3)

    personas = {segment.persona.name for segment in run.segments.select_related("persona")}
    assert personas == {"Loyal Regulars", "Lapsed High Spenders", "Occasional Visitors"}


def test_the_reason_reads_naturally_from_the_customers_behaviour(behaviour_groups, marketing_client):
    run_now(features=["recency_days", "frequency", "monetary"], k=3)
    lapsed = behaviour_groups["lapsed"][19]  # 319 days since the last purchase: the longest absent

    page = marketing_client.get(lapsed.get_absolute_url()).content.decode()

    assert "Lapsed High Spenders" in page and "Win-back voucher" in page
    assert "Last purchase 319 days ago, in the longest-absent 5% of customers" in page


def test_the_dashboard_shows_the_customers_without_purchases_as_their_own_group(shoppers, marketing_client):
    run_now(features=RFM, k=3)

    page = marketing_client.get(reverse("segmentation:dashboard")).content.decode()

    assert "No purchase history" in page and "<strong>7</strong> customers" in page


def test_the_api_says_why_a_customer_without_purchases_has_no_segment(shoppers, marketing_api):
    run_now(features=RFM, k=3)
    without = Customer.objects.filter(behaviour__isnull=True).first()

    response = marketing_api.get(f"/api/v1/customers/{without.pk}/segment/")

    assert response.status_code == 409
    assert "has no purchase history" in response.json()["errors"][0]["detail"]
