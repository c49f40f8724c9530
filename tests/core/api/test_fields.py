"""Strict serializer fields (core.api.fields): a number field refuses true and false, a text
field refuses numbers."""

import pytest

from tests.factories import run_now

pytestmark = pytest.mark.django_db


def test_predict_refuses_true_and_false_as_numbers(marketing_api, blob_customers):
    run_now()

    response = marketing_api.post(
        "/api/v1/predict/", {"annual_income": False, "spending_score": 1}, format="json"
    )

    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "annual_income"


def test_text_fields_refuse_numbers(staff_api):
    response = staff_api.post(
        "/api/v1/campaigns/", {"title": 7, "channel": "email", "offer": "o", "rationale": "r"}, format="json"
    )

    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "title"
