"""Audiences over the API: the customer endpoint filtered by the published forecast's lapse risk
and expected spend, alone or within a segment, and one customer's forecast."""

from unittest import mock

import pytest

from predictions import api_customers
from predictions.models import CustomerForecast
from predictions.selectors import published_forecast
from tests.factories import CustomerFactory, run_now
from tests.predictions.conftest import forecast_now

pytestmark = pytest.mark.django_db
CUSTOMERS = "/api/v1/customers/"


def every_page(api, url: str) -> list[dict]:
    rows = []
    while url:
        body = api.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.fixture
def published(planted_book):
    return forecast_now()


def test_customers_above_a_lapse_risk_are_exactly_those_the_forecast_scored_so(published, marketing_api):
    expected = set(CustomerForecast.objects.filter(lapse_risk__gte=0.6).values_list("customer_id", flat=True))

    rows = every_page(marketing_api, f"{CUSTOMERS}?lapse_risk_min=0.6&page_size=500")

    assert expected and {row["id"] for row in rows} == expected


def test_a_segments_members_at_risk_and_still_spending(published, marketing_api):
    run = run_now(k=3)
    segment = run.segments.first()
    members = set(segment.assignments.values_list("customer_id", flat=True))
    matching = CustomerForecast.objects.filter(
        lapse_risk__gte=0.3, lapse_risk__lte=0.9, expected_spend__gte=20
    )
    expected = members & set(matching.values_list("customer_id", flat=True))

    rows = every_page(
        marketing_api,
        f"{CUSTOMERS}?segment={segment.pk}&lapse_risk_min=0.3&lapse_risk_max=0.9&expected_spend_min=20&page_size=500",
    )

    assert expected and {row["id"] for row in rows} == expected


def test_filtering_by_risk_before_anything_is_published_is_a_409(marketing_api, db):
    response = marketing_api.get(f"{CUSTOMERS}?lapse_risk_min=0.5")

    assert (
        response.status_code == 409
        and "No lapse-risk or spend predictions" in response.json()["errors"][0]["detail"]
    )


def test_a_bad_risk_is_a_400_naming_the_filter(marketing_api, db):
    response = marketing_api.get(f"{CUSTOMERS}?lapse_risk_min=high")

    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "lapse_risk_min"


def test_one_customers_forecast(published, planted_book, marketing_api):
    customer = planted_book[10]
    score = CustomerForecast.objects.get(customer=customer)

    body = marketing_api.get(f"{CUSTOMERS}{customer.pk}/forecast/").json()

    assert body == {
        "customer": customer.pk,
        "forecast": published.pk,
        "as_of": body["as_of"],
        "horizon_days": 90,
        "lapse_risk": pytest.approx(score.lapse_risk),
        "expected_spend": pytest.approx(score.expected_spend),
    }


def test_a_customer_without_a_score_is_a_409_saying_why(published, marketing_api):
    newcomer = CustomerFactory()

    response = marketing_api.get(f"{CUSTOMERS}{newcomer.pk}/forecast/")

    assert (
        response.status_code == 409
        and "had no purchase before it was made" in response.json()["errors"][0]["detail"]
    )


def test_all_four_score_bounds_look_the_published_forecast_up_once(published, marketing_api):
    bounds = "lapse_risk_min=0.1&lapse_risk_max=0.9&expected_spend_min=0&expected_spend_max=10000"

    with mock.patch.object(api_customers, "published_forecast", wraps=published_forecast) as lookup:
        response = marketing_api.get(f"{CUSTOMERS}?{bounds}")

    assert response.status_code == 200 and lookup.call_count == 1
