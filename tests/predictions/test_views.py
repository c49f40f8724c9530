"""The Models page, a forecast's page and the customer page's forecast panel."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from predictions.models import Forecast
from predictions.templatetags.prediction_tags import calibration_in_words
from tests.factories import UserFactory
from tests.predictions.conftest import forecast_now

pytestmark = pytest.mark.django_db
MODELS = reverse("predictions:models")


@pytest.fixture
def published(planted_book):
    return forecast_now()


def test_the_models_page_shows_the_forecast_in_use_with_its_evaluation(published, marketing_client):
    page = marketing_client.get(MODELS).content.decode()

    assert f"In use: forecast {published.pk}" in page
    assert f"{published.auc:.2f}" in page and "given one customer who lapsed and one who bought again" in page
    assert f"{published.spend_mae:,.2f}" in page and "smaller than assuming the last 90 days repeat" in page
    assert page.count("<circle") == len(published.calibration)
    assert "predicted on average" in page and ("Well calibrated" in page or "The risks run" in page)
    assert 'aria-current="page">Models</a>' in page


def test_a_refused_training_says_why_while_the_published_one_stays_in_use(published, marketing_client):
    refused = forecast_now(horizon_days=365)

    page = marketing_client.get(MODELS).content.decode()

    assert f"forecast {refused.pk}</a>, was not published: The history covers" in page
    assert f"Forecast {published.pk} stays in use." in page


def test_with_nothing_published_the_page_says_what_is_needed(short_book, marketing_client):
    forecast_now()

    page = marketing_client.get(MODELS).content.decode()

    assert "No predictions published yet" in page and "The history covers 59 days; 270 are needed" in page


def test_marketing_trains_the_models_and_is_sent_to_the_forecast(marketing_client, marketing_user):
    with mock.patch("predictions.tasks.execute_forecast.delay") as publish:
        response = marketing_client.post(MODELS, {"horizon_days": "60"})

    forecast = Forecast.objects.get()
    assert response.status_code == 302 and response.url == reverse("predictions:forecast", args=[forecast.pk])
    assert (forecast.horizon_days, forecast.started_by, forecast.status) == (60, marketing_user, "queued")
    page = marketing_client.get(response.url).content.decode()
    assert (
        "Training the models…" in page and reverse("predictions:forecast-status", args=[forecast.pk]) in page
    )
    publish.assert_not_called()  # only once the request's transaction commits


@pytest.mark.parametrize(
    "horizon, message", [("3", "greater than or equal to 14"), ("ninety", "whole number")]
)
def test_a_bad_horizon_is_refused_at_its_field(marketing_client, horizon, message):
    response = marketing_client.post(MODELS, {"horizon_days": horizon})

    assert response.status_code == 400 and message in response.content.decode()
    assert not Forecast.objects.exists()


def test_a_second_training_while_one_is_queued_is_refused(marketing_client, marketing_user):
    Forecast.objects.create(horizon_days=90, started_by=marketing_user)

    response = marketing_client.post(MODELS, {"horizon_days": "90"})

    assert (
        response.status_code == 409
        and "You already have 1 forecast queued or running" in response.content.decode()
    )


def test_the_starter_cancels_a_queued_forecast(marketing_client, marketing_user):
    forecast = Forecast.objects.create(horizon_days=90, started_by=marketing_user)

    marketing_client.post(reverse("predictions:forecast-cancel", args=[forecast.pk]))

    forecast.refresh_from_db()
    assert forecast.status == Forecast.Status.CANCELLED
    page = marketing_client.get(reverse("predictions:forecast", args=[forecast.pk])).content.decode()
    assert "History" in page and "cancelled" in page and marketing_user.username in page


def test_the_status_and_outcome_of_a_finished_forecast(published, marketing_client):
    status = marketing_client.get(reverse("predictions:forecast-status", args=[published.pk])).json()
    outcome = marketing_client.get(
        reverse("predictions:forecast-outcome", args=[published.pk])
    ).content.decode()

    assert status["finished"] and status["progress"] == 100
    assert "Published" in outcome and f"{published.customers_scored:,} customers scored" in outcome


def test_the_customer_page_shows_the_customers_risk_and_spend(published, planted_book, marketing_client):
    customer = planted_book[200]
    score = published.scores.get(customer=customer)

    page = marketing_client.get(reverse("customers:detail", args=[customer.pk])).content.decode()

    assert "Lapse risk and spend" in page and f"{score.lapse_risk:.0%}" in page
    assert f"{score.expected_spend:.2f}" in page


def test_users_outside_marketing_may_not_see_or_train(published):
    outsider = Client()
    outsider.force_login(UserFactory())

    assert outsider.get(MODELS).status_code == 403
    assert outsider.post(MODELS, {"horizon_days": "90"}).status_code == 403
    assert Client().get(MODELS).status_code == 302  # to the login page


@pytest.mark.parametrize(
    "bins, lapse_rate, reading",
    [
        ([[0.1, 0.1], [0.5, 0.5]], 0.3, "Well calibrated (30% predicted on average, 30% lapsed)"),
        ([[0.4, 0.1], [0.8, 0.5]], 0.3, "The risks run high (60% predicted on average, 30% lapsed)"),
        ([[0.0, 0.1], [0.2, 0.5]], 0.3, "The risks run low (10% predicted on average, 30% lapsed)"),
    ],
)
def test_the_calibration_is_read_in_words(bins, lapse_rate, reading):
    forecast = Forecast(horizon_days=90, calibration=bins, lapse_rate=lapse_rate)

    assert calibration_in_words(forecast).startswith(reading)
