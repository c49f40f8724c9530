"""Training, testing and scoring a forecast on the book's purchase history: the planted answer
is found and published, a short history is refused saying why, and nothing is ever half written."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.exceptions import ServiceUnavailable
from core.jobs.lifecycle import jobs_fail_stale
from customers.models import Customer
from predictions import execution
from predictions.engine import MIN_AUC
from predictions.models import CustomerForecast, Forecast
from predictions.services import forecast_start
from tests.predictions.conftest import forecast_now

pytestmark = pytest.mark.django_db
Status = Forecast.Status


def test_thinning_customers_get_the_higher_risk_and_the_forecast_is_published(planted_book):
    forecast = forecast_now()

    assert (forecast.status, forecast.published, forecast.progress) == (Status.SUCCEEDED, True, 100)
    assert forecast.auc >= MIN_AUC and forecast.spend_mae < forecast.baseline_mae
    assert forecast.reason.startswith("Both models beat the bar: lapse AUC")
    assert len(forecast.calibration) >= 5
    assert forecast.customers_scored == CustomerForecast.objects.count() == len(planted_book)
    risk = {score.customer_id: score.lapse_risk for score in CustomerForecast.objects.all()}
    steady = [risk[planted_book[n].pk] for n in range(150)]
    thinning = [risk[planted_book[n].pk] for n in range(150, 300)]
    assert sum(thinning) / 150 > sum(steady) / 150 + 0.2


def test_a_short_history_is_refused_saying_why_and_scores_nothing(short_book):
    forecast = forecast_now()

    assert (forecast.status, forecast.published) == (Status.SUCCEEDED, False)
    assert "The history covers 59 days; 270 are needed" in forecast.reason
    assert forecast.auc is None and not CustomerForecast.objects.exists()


def test_a_book_without_purchases_is_refused():
    forecast = forecast_now()

    assert forecast.reason == "No purchase history: nothing to learn from."


def test_only_the_latest_published_forecast_keeps_scores(planted_book):
    first = forecast_now()
    second = forecast_now(horizon_days=60)

    assert not first.scores.exists()
    assert second.scores.count() == second.customers_scored == len(planted_book)


def test_a_refused_forecast_leaves_the_published_scores_in_place(planted_book):
    published = forecast_now()

    refused = forecast_now(horizon_days=365)  # three horizons of 365 days: more than the history

    assert not refused.published and "1095 are needed" in refused.reason
    assert published.scores.count() == len(planted_book)


def test_a_customer_deleted_while_the_models_train_gets_no_score(planted_book):
    forecast = forecast_start(started_by=None)
    leaving = planted_book[0]
    read = execution.purchase_lines

    def read_then_delete():
        lines = read()
        Customer.objects.filter(pk=leaving.pk).delete()
        return lines

    with mock.patch.object(execution, "purchase_lines", read_then_delete):
        execution.forecast_execute(forecast_id=forecast.pk)

    forecast.refresh_from_db()
    assert forecast.customers_scored == len(planted_book) - 1
    assert not CustomerForecast.objects.filter(customer_id=leaving.pk).exists()


def test_deleting_a_customer_deletes_their_scores(planted_book):
    forecast_now()
    customer = planted_book[3]

    customer.delete()

    assert CustomerForecast.objects.count() == len(planted_book) - 1


# THE SAME JOB TWICE, CANCELLED, BROKER DOWN, WORKER LOST, DATABASE DROPPED


def test_executing_the_same_forecast_twice_does_the_work_once(planted_book):
    forecast = forecast_now()

    with mock.patch.object(execution, "purchase_lines") as read:
        execution.forecast_execute(forecast_id=forecast.pk)

    read.assert_not_called()
    assert CustomerForecast.objects.count() == forecast.customers_scored


def test_a_forecast_cancelled_while_it_trains_saves_nothing(planted_book, staff_user):
    forecast = forecast_start(started_by=None)
    read = execution.purchase_lines

    def read_then_cancel():
        lines = read()
        Forecast.objects.filter(pk=forecast.pk).update(status=Status.CANCELLED)
        return lines

    with mock.patch.object(execution, "purchase_lines", read_then_cancel):
        execution.forecast_execute(forecast_id=forecast.pk)

    forecast.refresh_from_db()
    assert forecast.status == Status.CANCELLED and not forecast.published
    assert not CustomerForecast.objects.exists()


def test_a_forecast_whose_task_cannot_be_published_is_failed_and_refused(django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "predictions.tasks.execute_forecast.delay",
            side_effect=BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        ),
        pytest.raises(ServiceUnavailable, match="The job queue cannot be reached"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        forecast_start(started_by=None)

    forecast = Forecast.objects.get()
    assert forecast.status == Status.FAILED
    assert forecast.error.startswith("The job queue cannot be reached, so the forecast could not be started")


def test_a_forecast_whose_worker_died_is_failed_by_the_watchdog(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 60
    lost = Forecast.objects.create(
        horizon_days=90, status=Status.RUNNING, step="Training, then testing on the held-out window",
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip

    assert jobs_fail_stale(Forecast) == [lost.pk]

    lost.refresh_from_db()
    assert lost.status == Status.FAILED
    assert "stopped responding" in lost.error and "train the models again" in lost.error


def test_a_database_error_fails_the_forecast_and_is_raised_for_the_logs(planted_book):
    forecast = forecast_start(started_by=None)

    with (
        mock.patch.object(execution, "purchase_lines", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        execution.forecast_execute(forecast_id=forecast.pk)

    forecast.refresh_from_db()
    assert (forecast.status, forecast.error) == (Status.FAILED, execution.INTERNAL_ERROR)
