"""Forecasts through a real Celery worker process and broker, and a forecast whose database
connection drops while it trains (PostgreSQL: the test terminates its own backend)."""

from unittest import mock

import pandas as pd
import psycopg
import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from predictions import execution
from predictions.models import CustomerForecast, Forecast
from predictions.services import forecast_start
from tests.celery_worker import database_url
from tests.predictions.histories import history_store, planted_history

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORECAST_SECONDS = 180


@pytest.fixture
def planted(transactional_db):
    return history_store(planted_history(as_of=pd.Timestamp(timezone.now()), steady=150, thinning=150))


def test_a_forecast_started_like_the_portal_does_is_trained_by_a_worker(celery_worker, planted):
    forecast = forecast_start(started_by=None)

    forecast = celery_worker.wait_for(forecast, seconds=FORECAST_SECONDS)
    assert (forecast.status, forecast.published) == (Forecast.Status.SUCCEEDED, True), forecast.error
    assert CustomerForecast.objects.count() == len(planted)
    assert "execute_forecast" in celery_worker.read_text()


def test_a_forecast_whose_database_connection_drops_is_failed_saying_so(planted):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL (CI's second pass)")
    forecast = forecast_start(started_by=None, enqueue=False)
    report = execution.job_report_progress

    def drop_connection_while_training(model, job_id, percent, step):
        if step.startswith("Training"):
            with psycopg.connect(database_url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        report(model, job_id, percent, step)

    with (
        mock.patch.object(execution, "job_report_progress", drop_connection_while_training),
        pytest.raises(DatabaseError),
    ):
        execution.forecast_execute(forecast_id=forecast.pk)

    forecast.refresh_from_db()
    assert (forecast.status, forecast.error) == (Forecast.Status.FAILED, execution.DATABASE_LOST)
    assert not CustomerForecast.objects.exists()
