"""The audience page: a segment's members (or everyone scored) by lapse risk and expected spend,
paged and exported; bad filters are refused at their field."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from predictions.exports import AUDIENCE_COLUMNS
from predictions.models import CustomerForecast
from tests.factories import UserFactory, run_now
from tests.predictions.conftest import forecast_now

pytestmark = pytest.mark.django_db
AUDIENCE = reverse("predictions:audience")
EXPORT = reverse("predictions:audience-export")


@pytest.fixture
def segmented(planted_book):
    forecast = forecast_now()
    run = run_now(k=3)
    return forecast, run


def exported(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_segments_members_above_a_risk_are_listed_and_exported(segmented, marketing_client):
    forecast, run = segmented
    segment = run.segments.order_by("number").first()
    members = set(segment.assignments.values_list("customer_id", flat=True))
    at_risk = set(CustomerForecast.objects.filter(lapse_risk__gte=0.5).values_list("customer_id", flat=True))
    expected = members & at_risk
    query = {"segment": segment.pk, "lapse_risk_min": 50}

    page = marketing_client.get(AUDIENCE, query).content.decode()
    rows = exported(marketing_client.get(EXPORT, query))

    assert f"{len(expected)} customer" in page and f"in {segment.name}" in page
    assert len(rows) == len(expected) and {row["segment"] for row in rows} == {segment.name}
    assert all(float(row["lapse_risk"]) >= 0.5 for row in rows)
    assert list(rows[0]) == AUDIENCE_COLUMNS


def test_everyone_scored_is_paged_by_customer_with_each_ones_segment(segmented, marketing_client):
    first = marketing_client.get(AUDIENCE).content.decode()

    assert "300 customers" in first and 'rel="next"' in first
    assert first.count("<tr>") == 1 + 50


def test_spend_bounds_filter_and_a_reversed_range_is_refused_at_its_field(segmented, marketing_client):
    spenders = CustomerForecast.objects.filter(expected_spend__gte=100, expected_spend__lte=400).count()

    page = marketing_client.get(AUDIENCE, {"expected_spend_min": 100, "expected_spend_max": 400})
    reversed_range = marketing_client.get(AUDIENCE, {"lapse_risk_min": 80, "lapse_risk_max": 20})
    out_of_range = marketing_client.get(AUDIENCE, {"lapse_risk_min": 150})

    assert f"{spenders} customer" in page.content.decode()
    assert (
        reversed_range.status_code == 400 and "at or above the lower one" in reversed_range.content.decode()
    )
    assert out_of_range.status_code == 400 and "less than or equal to 100" in out_of_range.content.decode()
    assert marketing_client.get(EXPORT, {"lapse_risk_min": 150}).status_code == 400


def test_without_a_published_forecast_the_page_says_what_to_do(marketing_client):
    page = marketing_client.get(AUDIENCE).content.decode()

    assert "No predictions published yet" in page
    assert marketing_client.get(EXPORT).status_code == 409


def test_the_segment_page_links_to_its_members_by_risk(segmented, marketing_client):
    _, run = segmented
    segment = run.segments.first()

    page = marketing_client.get(reverse("segmentation:segment", args=[segment.pk])).content.decode()

    assert f'href="{AUDIENCE}?segment={segment.pk}">Members by lapse risk</a>' in page


def test_users_outside_marketing_see_no_audience(segmented):
    outsider = Client()
    outsider.force_login(UserFactory())

    assert outsider.get(AUDIENCE).status_code == 403
    assert outsider.get(EXPORT).status_code == 403
