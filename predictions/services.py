"""Forecasts as background jobs (``core.jobs``): starting and cancelling them.

The Models page, the API and re-segmentation schedules start a forecast; a worker then runs it
(``predictions.execution``, through ``predictions.tasks``): services → tasks → execution.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import ServiceUnavailable
from core.jobs.lifecycle import job_cancel, job_check_in_progress_limit, job_enqueue
from predictions.models import Forecast
from predictions.tasks import execute_forecast

logger = logging.getLogger(__name__)


def forecast_start(
    *, started_by: AbstractBaseUser | None, horizon_days: int | None = None, enqueue: bool = True
) -> Forecast:
    """Create a queued forecast and, once the transaction commits, queue it (unless ``enqueue`` is
    False: the caller executes it itself, as ``manage.py forecast --sync`` does).

    Raises ValidationError for a horizon outside HORIZON_RANGE, Conflict when the user already has
    FORECASTS_IN_PROGRESS_PER_USER forecasts queued or running, and ServiceUnavailable (the
    forecast marked failed) when the job queue cannot be reached."""
    if started_by is not None:
        job_check_in_progress_limit(Forecast, started_by, limit=settings.FORECASTS_IN_PROGRESS_PER_USER)
    forecast = _forecast_create(started_by=started_by, horizon_days=horizon_days)
    if enqueue:
        transaction.on_commit(lambda: job_enqueue(forecast, execute_forecast.delay))
    return forecast


def _forecast_create(*, started_by: AbstractBaseUser | None, horizon_days: int | None) -> Forecast:
    forecast = Forecast(
        started_by=started_by,
        horizon_days=horizon_days or settings.FORECAST_HORIZON_DAYS,
        step="Waiting for a worker",
    )
    forecast.full_clean()
    forecast.save()
    return forecast


def forecast_cancel(*, forecast: Forecast, user: AbstractBaseUser) -> Forecast:
    """Cancel a queued or running forecast; a running one stops at its next step, saving nothing."""
    return job_cancel(forecast, user=user)


def forecast_start_with_resegmentation(**kwargs) -> None:
    """Receiver of ``segmentation.signals.scheduled_run_stored``: a scheduled re-segmentation also
    retrains the models, unless a forecast is already queued or running. It runs after the run's
    commit, so the forecast is queued at once; it never fails the run: a queue that cannot be
    reached is logged (and the forecast row, failed, says so)."""
    if Forecast.objects.unfinished().exists():
        return
    forecast = _forecast_create(started_by=None, horizon_days=None)
    try:
        job_enqueue(forecast, execute_forecast.delay)
    except ServiceUnavailable:
        logger.warning("The forecast that follows scheduled run %s could not be queued.", kwargs["run"].pk)
