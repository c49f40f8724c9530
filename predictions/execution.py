"""Executing a queued forecast on a worker: claim it, read the purchase history, let the engine
train, test and (when the models earn it) score, and store the verdict and the scores at once.

Like a segmentation run (``core.jobs``): a forecast that stops being ``running`` meanwhile
(cancelled, or failed by the watchdog) is abandoned at its next step, and nothing is half
written: the verdict, the scores and the removal of the previous forecast's scores are one
transaction.
"""

import logging

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.bulk import insert_columns
from core.jobs.lifecycle import (
    JobInterrupted,
    connection_lost,
    job_claim,
    job_fail,
    job_lock_running,
    job_report_progress,
)
from core.threads import maths_threads_limited
from customers.book_lock import still_in_book
from predictions import engine
from predictions.models import CustomerForecast, Forecast
from predictions.selectors import purchase_lines

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "The forecast failed because of an internal error; the administrators have the details."
DATABASE_LOST = (
    "The forecast lost its connection to the database (the database restarted or dropped it). "
    "Nothing was saved: train the models again."
)
ENGINE_STEPS_PROGRESS = (20, 50, 85)


def forecast_execute(*, forecast_id: int) -> None:
    """Train, evaluate and score for a queued forecast. Safe to call twice (at-least-once
    delivery): only the call that moves it from queued to running does the work."""
    forecast = job_claim(Forecast, forecast_id, step="Reading the purchase history")
    if forecast is None:
        logger.info("Forecast %s is not queued any more; nothing to do.", forecast_id)
        return
    try:
        as_of = timezone.now()
        lines = purchase_lines()
        with maths_threads_limited(settings.ENGINE_THREADS):
            result = engine.forecast(
                lines,
                as_of=pd.Timestamp(as_of),
                horizon_days=forecast.horizon_days,
                on_step=_step_reporter(forecast_id),
            )
        job_report_progress(Forecast, forecast_id, 95, "Saving")
        _store(forecast_id, result=result, as_of=as_of)
    except JobInterrupted:
        logger.info("Forecast %s was cancelled or marked failed while running; nothing saved.", forecast_id)
    except SoftTimeLimitExceeded:
        minutes = settings.FORECAST_TIME_LIMIT_SECONDS // 60
        job_fail(
            Forecast, forecast_id, f"The forecast took longer than its {minutes}-minute limit; nothing saved."
        )
    except DatabaseError as error:
        job_fail(Forecast, forecast_id, DATABASE_LOST if connection_lost(error) else INTERNAL_ERROR)
        raise
    except Exception:
        job_fail(Forecast, forecast_id, INTERNAL_ERROR)
        raise


def _step_reporter(forecast_id: int):
    percents = iter(ENGINE_STEPS_PROGRESS)

    def report(step: str) -> None:
        job_report_progress(Forecast, forecast_id, next(percents, ENGINE_STEPS_PROGRESS[-1]), step)

    return report


@transaction.atomic
def _store(forecast_id: int, *, result: engine.Forecast, as_of) -> None:
    forecast = job_lock_running(Forecast, forecast_id)
    scored = _scores_replace(forecast, result.scores) if result.published else 0
    evaluation = result.evaluation
    Forecast.objects.filter(pk=forecast.pk).update(
        status=Forecast.Status.SUCCEEDED,
        progress=100,
        step="Published" if result.published else "Not published",
        finished_at=timezone.now(),
        as_of=as_of,
        published=result.published,
        reason=result.reason,
        customers_scored=scored,
        evaluated_customers=evaluation.customers if evaluation else None,
        lapse_rate=evaluation.lapse_rate if evaluation else None,
        auc=evaluation.auc if evaluation else None,
        calibration=[list(pair) for pair in evaluation.calibration] if evaluation else [],
        spend_mae=evaluation.spend_mae if evaluation else None,
        baseline_mae=evaluation.baseline_mae if evaluation else None,
    )


def _scores_replace(forecast: Forecast, scores: pd.DataFrame) -> int:
    """Delete the previous forecasts' scores and write this one's, for the customers still in the
    book (``customers.book_lock``: no foreign-key constraint checks them). Returns how many."""
    CustomerForecast.objects.exclude(forecast=forecast).delete()
    customer_ids = scores.index.to_numpy(dtype="int64")
    kept = still_in_book(customer_ids)
    insert_columns(
        table=CustomerForecast._meta.db_table,
        rows=int(kept.sum()),
        columns={
            "forecast_id": ("bigint", forecast.pk),
            "customer_id": ("bigint", customer_ids[kept]),
            "lapse_risk": ("double", scores["lapse_risk"].to_numpy()[kept]),
            "expected_spend": ("double", scores["expected_spend"].to_numpy()[kept]),
        },
    )
    return int(kept.sum())
