"""Celery entry points: take an id, call a service."""

from celery import shared_task
from django.conf import settings

from core.jobs.lifecycle import jobs_fail_stale
from predictions.execution import forecast_execute
from predictions.models import Forecast


# Acknowledged late so a forecast survives a worker restart before it starts; safe because
# executing it twice does the work once (the claim from queued to running is atomic).
@shared_task(
    acks_late=True,
    soft_time_limit=settings.FORECAST_TIME_LIMIT_SECONDS,
    time_limit=settings.FORECAST_TIME_LIMIT_SECONDS + 60,
)
def execute_forecast(forecast_id: int) -> None:
    forecast_execute(forecast_id=forecast_id)


@shared_task
def fail_stale_forecasts() -> None:
    jobs_fail_stale(Forecast)
