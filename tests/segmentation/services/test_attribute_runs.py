"""Runs on the mall's declared attributes (visits per month): an attribute is a feature like any
other in the form, the API, the command, personas, reasons and predictions; customers without a
value are left out and counted, never imputed; a run keeps the labels it started with."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer, CustomerAttribute, CustomerAttributeValue
from segmentation.models import Assignment, PersonaCampaign, SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.services.playbook import campaign_create, persona_create
from segmentation.services.runs import segmentation_run_start
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
ON_VISITS = ["annual_income", "visits_per_month"]


@pytest.fixture
def visits(db) -> CustomerAttribute:
    return CustomerAttribute.objects.create(
        name="visits_per_month", label="Visits per month", unit="visits", min_value=0, max_value=60
    )


@pytest.fixture
def visitors(visits):
    """Regulars (about 20 visits a month) and rare visitors (about 2), 20 each at incomes 30-49k$,
    and 5 customers with no visits value."""
    for monthly in (2, 20):
        for offset in range(20):
            customer = CustomerFactory(annual_income=30 + offset)
            CustomerAttributeValue.objects.create(
                customer=customer, attribute=visits, value=monthly + offset % 3
            )
    CustomerFactory.create_batch(5, annual_income=40)


def visits_of(customer: Customer) -> float:
    return customer.attribute_values.get(attribute__name="visits_per_month").value


def test_a_run_on_an_attribute_segments_customers_with_a_value_and_counts_the_others(visitors):
    run = run_now(features=ON_VISITS, k=2)

    assert run.status == SegmentationRun.Status.SUCCEEDED, run.error
    assert (run.customer_count, run.customers_without_history) == (40, 5)
    assert run.feature_labels == {"annual_income": "annual income", "visits_per_month": "Visits per month"}
    centroids = sorted(segment.centroid["visits_per_month"] for segment in run.segments.all())
    assert centroids == [pytest.approx(2.95), pytest.approx(20.95)]
    assert {"visits_per_month", "annual_income"} <= set(run.population)
    assert "visits_per_month" in run.scatter_sample["columns"]
    assert run.lacking == "visits per month"


def test_segments_are_described_by_the_attributes_label(visitors, marketing_client):
    run = run_now(features=["visits_per_month"], k=2)

    names = set(run.segments.values_list("name", flat=True))
    page = marketing_client.get(reverse("segmentation:dashboard")).content.decode()

    assert names == {"Low visits per month", "High visits per month"}
    assert "No visits per month" in page and "<strong>5</strong> customers" in page


def test_an_undeclared_feature_is_refused_naming_it(visitors):
    with pytest.raises(ValidationError, match="Unknown feature\\(s\\): shoe_size"):
        segmentation_run_start(started_by=None, features=["annual_income", "shoe_size"], enqueue=False)


def test_the_run_form_offers_declared_attributes(visitors, marketing_client):
    page = marketing_client.get(reverse("segmentation:runs")).content.decode()

    assert 'value="visits_per_month"' in page and "Visits per month" in page


def test_the_api_starts_a_run_on_an_attribute_and_refuses_an_unknown_one(visitors, marketing_api):
    started = marketing_api.post("/api/v1/runs/", {"features": ON_VISITS}, format="json")
    unknown = marketing_api.post("/api/v1/runs/", {"features": ["shoe_size"]}, format="json")
    malformed = marketing_api.post("/api/v1/runs/", {"features": ["Shoe Size"]}, format="json")

    assert started.status_code == 202 and started.json()["features"] == ON_VISITS
    assert (
        unknown.status_code == 422
        and "Unknown feature(s): shoe_size" in unknown.json()["errors"][0]["detail"]
    )
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["attr"] == "features"


def test_the_segment_command_takes_an_attribute(visitors, capsys):
    call_command("segment", "--features", "annual_income,visits_per_month", "--k", "2", "--sync", "--json")

    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "succeeded" and outcome["features"] == ON_VISITS


def test_a_persona_rule_may_ask_for_a_declared_attribute(visitors):
    persona_create(name="Mall Regulars", description="Here every week.", rule={"visits_per_month": "high"})

    run = run_now(features=ON_VISITS, k=2)

    regulars = run.segments.get(persona__name="Mall Regulars")
    assert regulars.centroid["visits_per_month"] > 20


def test_the_reason_names_the_attribute_value_and_rank(visitors, marketing_client):
    regulars = persona_create(
        name="Mall Regulars", description="Here every week.", rule={"visits_per_month": "high"}
    )
    offer = campaign_create(
        title="Parking pass", channel="app", offer="Free parking.", rationale="They come often."
    )
    PersonaCampaign.objects.create(persona=regulars, campaign=offer, position=1)
    run = run_now(features=["visits_per_month"], k=2)
    regular = Assignment.objects.filter(run=run, segment__persona__name="Mall Regulars").first().customer

    page = marketing_client.get(regular.get_absolute_url()).content.decode()

    assert f"Visits per month {visits_of(regular):g} is in the top" in page
    assert "one of the Mall Regulars. Offer parking pass: They come often." in page


def test_a_customer_without_the_value_is_in_no_segment_and_told_why(
    visitors, marketing_client, marketing_api
):
    run_now(features=ON_VISITS, k=2)
    without = Customer.objects.filter(attribute_values__isnull=True).first()

    page = marketing_client.get(without.get_absolute_url()).content.decode()
    response = marketing_api.get(f"/api/v1/customers/{without.pk}/segment/")

    assert "No visits per month" in page and "in no segment" in page
    assert response.status_code == 409 and "has no visits per month" in response.json()["errors"][0]["detail"]


def test_new_customers_are_placed_only_with_a_value(visitors, visits):
    run = run_now(features=ON_VISITS, k=2)
    with_value, without = CustomerFactory(annual_income=35), CustomerFactory(annual_income=35)
    CustomerAttributeValue.objects.create(customer=with_value, attribute=visits, value=21)

    assert segmentation_place_new_customers(run=run) == 1

    placed = Assignment.objects.select_related("segment").get(run=run, customer=with_value)
    assert placed.placed and placed.segment.centroid["visits_per_month"] > 20
    assert not Assignment.objects.filter(run=run, customer=without).exists()


def test_predictions_take_attribute_values_within_the_declared_range(
    visitors, marketing_client, marketing_api
):
    run_now(features=ON_VISITS, k=2)

    page = marketing_client.get(
        reverse("segmentation:predict"), {"annual_income": 40, "visits_per_month": 21}
    )
    answer = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 40, "attributes": {"visits_per_month": 2.5}}, format="json"
    )
    too_many = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 40, "attributes": {"visits_per_month": 61}}, format="json"
    )

    assert page.status_code == 200 and page.context["match"].segment.centroid["visits_per_month"] > 20
    assert answer.status_code == 200 and answer.json()["segment"]["centroid"]["visits_per_month"] < 4
    not_a_number = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 40, "attributes": {"visits_per_month": "often"}}, format="json"
    )

    assert too_many.status_code == 422
    assert "from 0 to 60" in json.dumps(too_many.json())
    assert not_a_number.status_code == 400
    assert not_a_number.json()["errors"][0] == {
        "code": "invalid",
        "detail": "Not a number: visits_per_month.",
        "attr": "attributes",
    }


def test_renaming_the_attribute_leaves_the_runs_labels_as_they_were(visitors, visits, marketing_client):
    run = run_now(features=ON_VISITS, k=2)
    visits.label = "Monthly footfall"
    visits.save()

    page = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()

    assert "visits per month" in page.lower() and "footfall" not in page.lower()


def test_an_attribute_cannot_take_the_name_of_a_behaviour_feature():
    attribute = CustomerAttribute(name="frequency", label="How often", min_value=0, max_value=9)

    with pytest.raises(ValidationError, match="behaviour feature computed from purchases"):
        attribute.full_clean()


def test_deleting_the_attribute_leaves_the_run_readable(visitors, visits, marketing_client, marketing_api):
    run = run_now(features=ON_VISITS, k=2)
    member = Assignment.objects.filter(run=run).first().customer
    visits.delete()

    page = marketing_client.get(member.get_absolute_url())
    dashboard = marketing_client.get(reverse("segmentation:dashboard"))
    answer = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 40, "attributes": {"visits_per_month": 2.5}}, format="json"
    )

    assert page.status_code == 200 and dashboard.status_code == 200
    assert answer.status_code == 422 and "no longer declared" in json.dumps(answer.json())
