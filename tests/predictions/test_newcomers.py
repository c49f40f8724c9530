"""The Predict page's "no spending data yet" mode: a new member's likely segment from age, gender
and income, learnt from the active run's members, with its measured accuracy."""

import pytest
from django.urls import reverse

from segmentation.models import Segment
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
NEWCOMER = reverse("predictions:newcomer")


@pytest.fixture
def two_kinds(db):
    """Young high earners who spend, and older low earners who do not: age and income alone tell
    the two segments of an income-and-spending run apart."""
    for n in range(60):
        CustomerFactory(age=20 + n % 10, annual_income=100 + n % 20, spending_score=80 + n % 20)
        CustomerFactory(age=50 + n % 10, annual_income=20 + n % 20, spending_score=1 + n % 20)
    run = run_now(k=2)
    assert run.is_active  # the first run activates itself
    return run


def test_a_young_high_earner_is_guessed_into_the_spenders_with_the_models_accuracy(
    two_kinds, marketing_client
):
    spenders = Segment.objects.get(run=two_kinds, centroid__spending_score__gt=50)

    response = marketing_client.get(NEWCOMER, {"age": 24, "gender": "female", "annual_income": 110})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("segmentation:segment", args=[spenders.pk])}">{spenders.name}</a>' in page
    assert "guesses right for 100% of 24 members it never saw" in page
    assert "always guessing the largest segment would be right for 50%" in page
    assert "Weak guess" not in page


def test_bad_values_are_refused_at_their_field(two_kinds, marketing_client):
    response = marketing_client.get(NEWCOMER, {"age": 5, "gender": "female", "annual_income": 110})

    assert response.status_code == 400 and "greater than or equal to" in response.content.decode()


def test_too_few_members_to_learn_from_says_so(marketing_client, db):
    for n in range(20):
        CustomerFactory(annual_income=20 + n * 5, spending_score=1 + n * 5)
    run_now(k=2)

    page = marketing_client.get(NEWCOMER, {"age": 30, "gender": "male", "annual_income": 50}).content.decode()

    assert "Nothing to learn from yet" in page and "at least 50 customers" in page


def test_without_an_active_run_the_page_says_so(marketing_client):
    assert "No segmentation yet" in marketing_client.get(NEWCOMER).content.decode()


def test_the_predict_page_offers_the_no_spending_data_mode(two_kinds, marketing_client):
    page = marketing_client.get(reverse("segmentation:predict")).content.decode()

    assert f'<a href="{NEWCOMER}">No spending data yet</a>' in page


# THE API: POST /api/v1/predict/newcomer/


def test_the_api_guesses_the_segment_with_the_models_accuracy(two_kinds, marketing_api):
    spenders = Segment.objects.get(run=two_kinds, centroid__spending_score__gt=50)

    response = marketing_api.post(
        "/api/v1/predict/newcomer/", {"age": 24, "gender": "female", "annual_income": 110}, format="json"
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["run"], body["segment"]["id"]) == (two_kinds.pk, spenders.pk)
    assert body["accuracy"] == 1.0 and body["baseline_accuracy"] == 0.5 and body["beats_baseline"] is True
    assert body["probability"] > 0.5 and body["held_out"] == 24


def test_the_api_refuses_bad_values_naming_the_field_and_says_when_it_cannot_guess(marketing_api, db):
    bad = marketing_api.post("/api/v1/predict/newcomer/", {"age": 24, "gender": "female"}, format="json")
    no_run = marketing_api.post(
        "/api/v1/predict/newcomer/", {"age": 24, "gender": "female", "annual_income": 50}, format="json"
    )

    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "annual_income"
    assert (
        no_run.status_code == 409 and "No segmentation is active yet" in no_run.json()["errors"][0]["detail"]
    )
