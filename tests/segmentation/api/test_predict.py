"""The segment for values typed in, over the API (segmentation.api.predict)."""

import pytest

from tests.factories import run_now

pytestmark = pytest.mark.django_db


def test_predict_returns_the_segment_of_the_active_run(marketing_api, mall_customers):
    run_now()

    body = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 26, "spending_score": 79}, format="json"
    ).json()

    assert body["segment"]["persona"]["name"] == "Impulse Buyers"
    [first, *_] = body["recommendations"]
    assert first["campaign"]["title"] == "Flash sales"
    assert first["reason"].startswith("Income 26k$ is in the bottom")
    assert "one of the Impulse Buyers. Offer flash sales:" in first["reason"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"annual_income": "lots", "spending_score": 50}, "annual_income"),
        ({"annual_income": 26, "spending_score": 0}, "spending_score"),
    ],
)
def test_predict_refuses_bad_values_at_the_field(marketing_api, blob_customers, body, field):
    run_now()

    response = marketing_api.post("/api/v1/predict/", body, format="json")

    assert response.status_code == 400
    assert field in [error["attr"] for error in response.json()["errors"]]


def test_predict_without_a_value_the_active_run_needs_is_a_422(marketing_api, blob_customers):
    run_now()

    response = marketing_api.post("/api/v1/predict/", {"annual_income": 26, "age": 30}, format="json")

    assert response.status_code == 422
    assert [(error["attr"], error["detail"]) for error in response.json()["errors"]] == [
        ("spending_score", "This value is needed by the active segmentation.")
    ]


def test_predict_without_an_active_run_is_a_409(marketing_api):
    response = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 1, "spending_score": 1}, format="json"
    )

    assert response.status_code == 409
