"""Forecasts over the API: train, watch, read the verdict and the evaluation, cancel."""

from unittest import mock

import pytest

from predictions.models import Forecast
from tests.factories import UserFactory, token_client
from tests.predictions.conftest import forecast_now

pytestmark = pytest.mark.django_db
FORECASTS = "/api/v1/forecasts/"


def test_a_published_forecast_carries_its_verdict_and_evaluation(planted_book, marketing_api):
    forecast = forecast_now()

    body = marketing_api.get(f"{FORECASTS}{forecast.pk}/").json()

    assert body["status"] == "succeeded" and body["published"] is True
    assert body["auc"] == pytest.approx(forecast.auc) and body["spend_mae"] < body["baseline_mae"]
    assert body["customers_scored"] == len(planted_book) == body["evaluated_customers"]
    assert len(body["calibration"]) == len(forecast.calibration)
    assert set(body["calibration"][0]) == {"predicted", "observed"}
    assert body["reason"].startswith("Both models beat the bar")


def test_a_refused_forecast_says_why_and_has_no_evaluation(short_book, marketing_api):
    forecast_now()

    (body,) = marketing_api.get(FORECASTS).json()["results"]

    assert body["published"] is False and body["auc"] is None and body["calibration"] == []
    assert "270 are needed" in body["reason"]


def test_training_over_the_api_answers_202_with_the_forecast(marketing_api):
    with mock.patch("predictions.tasks.execute_forecast.delay"):
        response = marketing_api.post(FORECASTS, {"horizon_days": 30}, format="json")

    forecast = Forecast.objects.get()
    assert response.status_code == 202 and response["Location"] == f"{FORECASTS}{forecast.pk}/"
    assert response.json()["status"] == "queued" and forecast.horizon_days == 30


def test_the_horizon_defaults_to_the_setting(marketing_api, settings):
    settings.FORECAST_HORIZON_DAYS = 120

    with mock.patch("predictions.tasks.execute_forecast.delay"):
        marketing_api.post(FORECASTS, {}, format="json")

    assert Forecast.objects.get().horizon_days == 120


@pytest.mark.parametrize("horizon", [13, 366, "soon"])
def test_a_bad_horizon_is_a_400_naming_the_field(marketing_api, horizon):
    response = marketing_api.post(FORECASTS, {"horizon_days": horizon}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "horizon_days"
    assert not Forecast.objects.exists()


def test_a_second_training_while_one_runs_is_a_409(marketing_api, marketing_user):
    Forecast.objects.create(horizon_days=90, started_by=marketing_user, status=Forecast.Status.RUNNING)

    response = marketing_api.post(FORECASTS, {}, format="json")

    assert (
        response.status_code == 409
        and "1 forecast queued or running" in response.json()["errors"][0]["detail"]
    )


def test_the_starter_cancels_over_the_api(marketing_api, marketing_user):
    forecast = Forecast.objects.create(horizon_days=90, started_by=marketing_user)

    response = marketing_api.post(f"{FORECASTS}{forecast.pk}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_users_outside_marketing_get_a_403():
    outsider = token_client(UserFactory())

    assert outsider.get(FORECASTS).status_code == 403
    assert outsider.post(FORECASTS, {}, format="json").status_code == 403
