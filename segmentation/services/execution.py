"""Executing a queued run on a worker: claim it, run the engine, report progress, store the result.

Progress and a heartbeat are written on the run row at every step; a run that stops being
``running`` meanwhile (cancelled, or failed by the watchdog) is abandoned at the next step,
and a run that fails leaves no partial results: everything is stored in one transaction.
"""

import hashlib
import logging

import numpy as np
import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.jobs.lifecycle import (
    JobInterrupted,
    connection_lost,
    job_claim,
    job_fail,
    job_lock_running,
    job_report_progress,
)
from segmentation import engine_adapter
from segmentation.models import Persona, Segment, SegmentationRun
from segmentation.selectors.frames import CUSTOMER_COLUMNS, customers_frame, with_behaviour, with_values_for
from segmentation.services.assignments import run_assignments_write
from segmentation.services.guardrails import scheduled_run_settle
from segmentation.services.identity import segments_continue_active_run

logger = logging.getLogger(__name__)

Status = SegmentationRun.Status
SCATTER_SAMPLE_SIZE = 3_000
INTERNAL_ERROR = "The run failed because of an internal error; the administrators have the details."
DATABASE_LOST = (
    "The run lost its connection to the database (the database restarted or dropped it). "
    "Nothing was saved: start the run again."
)


def segmentation_run_execute(*, run_id: int) -> None:
    """Run the engine for a queued run and store its results in one transaction.

    Safe to call twice for the same run (at-least-once delivery): only the call that moves
    the run from queued to running does the work; any other call returns at once.
    """
    run = job_claim(SegmentationRun, run_id, step="Loading customers")
    if run is None:
        logger.info("Run %s is not queued any more; nothing to do.", run_id)
        return
    try:
        engine_adapter.libraries_load_in_background()
        everyone = customers_frame(attributes=list(run.custom_features), behaviour=run.uses_behaviour)
        customers = with_values_for(everyone, features=run.features)
        result = engine_adapter.segmentation_compute(
            customers=customers,
            config=_run_config(run),
            personas=Persona.objects.values_list("name", "rule"),
            on_progress=_progress_reporter(run_id),
            threads=settings.ENGINE_THREADS,
        )
        _report_progress(run_id, 99, "Saving segments and assignments")
        _store_result(
            run_id=run_id,
            customers=customers,
            result=result,
            population=engine_adapter.population_summarise(customers=everyone, features=run.numeric_features),
            fingerprint=_data_fingerprint(customers, features=run.features),
            without_history=len(everyone) - len(customers),
        )
    except JobInterrupted:
        logger.info("Run %s was cancelled or marked failed while running; results discarded.", run_id)
    except engine_adapter.EngineError as error:
        _fail(run_id, str(error))
    except SoftTimeLimitExceeded:
        minutes = settings.RUN_TIME_LIMIT_SECONDS // 60
        _fail(run_id, f"The run took longer than its {minutes}-minute limit and was stopped; nothing saved.")
    except DatabaseError:
        _fail(run_id, DATABASE_LOST if connection_lost() else INTERNAL_ERROR)
        raise
    except Exception:
        _fail(run_id, INTERNAL_ERROR)
        raise


def _run_config(run: SegmentationRun) -> engine_adapter.SegmentationConfig:
    return engine_adapter.run_config(
        features=run.features,
        algorithm=run.algorithm,
        k=run.requested_k,
        k_range=(run.k_min, run.k_max),
        scaling=run.scaling,
        seed=run.seed,
        custom_features=run.custom_features,
        algorithm_parameters=run.algorithm_parameters,
    )


def _data_fingerprint(customers: pd.DataFrame, *, features: list[str]) -> str:
    """A hash of exactly the data a run saw, to tell whether two runs saw the same customers."""
    digest = hashlib.sha256()
    beyond_the_book = [feature for feature in features if feature not in CUSTOMER_COLUMNS]
    for column in [*CUSTOMER_COLUMNS, *beyond_the_book]:
        values = customers[column].to_numpy()
        digest.update(
            values.astype("U6").tobytes() if column == "gender" else values.astype(np.float64).tobytes()
        )
    return digest.hexdigest()


def _progress_reporter(run_id: int) -> engine_adapter.ProgressCallback:
    def report(percent: int, step: str) -> None:
        _report_progress(run_id, min(percent, 98), step)

    return report


def _report_progress(run_id: int, percent: int, step: str) -> None:
    job_report_progress(SegmentationRun, run_id, percent, step)


@transaction.atomic
def _store_result(
    *,
    run_id: int,
    customers: pd.DataFrame,
    result: engine_adapter.SegmentationResult,
    population: dict[str, dict],
    fingerprint: str,
    without_history: int,
) -> None:
    run = job_lock_running(SegmentationRun, run_id)
    segment_ids = _store_segments(run, result)
    members = run_assignments_write(
        run=run,
        customer_ids=customers["id"].to_numpy(),
        segment_ids=segment_ids[result.labels],
        distances=result.distances,
        probabilities=result.probabilities,
    )
    run.status, run.progress, run.step = Status.SUCCEEDED, 100, "Done"
    run.finished_at = run.heartbeat_at = timezone.now()
    run.k, run.customer_count, run.data_fingerprint = result.k, len(customers), fingerprint
    run.customers_without_history = without_history
    run.silhouette, run.inertia = result.silhouette, result.inertia
    for field, value in engine_adapter.result_as_json(result=result).items():
        setattr(run, field, value)
    run.population = population
    run.scatter_sample = _scatter_sample(customers, result, run=run)
    customers_kept = segments_continue_active_run(run=run, members=members)
    run.save()
    scheduled_run_settle(run=run, customers_kept=customers_kept)


def _store_segments(run: SegmentationRun, result: engine_adapter.SegmentationResult) -> np.ndarray:
    """Write the run's segments, each with its persona; returns their row ids by segment number."""
    personas = {persona.name: persona for persona in Persona.objects.all()}
    rows = []
    for number, description in enumerate(result.segments):
        profile = description.profile
        rows.append(
            Segment(
                run=run,
                number=profile.index,
                name=description.display_name,
                persona=personas.get(description.persona),
                size=profile.size,
                share=profile.share,
                centroid=dict(profile.means),
                centroid_scaled=[]
                if description.is_outliers
                else [float(value) for value in result.centroids[number]],
                medians=dict(profile.medians),
                levels=dict(profile.levels),
                gender_shares=dict(profile.gender_shares) if profile.gender_shares else None,
                silhouette=description.silhouette,
                stability=description.stability,
                cautions=list(description.cautions),
                is_outliers=description.is_outliers,
            )
        )
    return np.array([segment.pk for segment in Segment.objects.bulk_create(rows)])


def _scatter_sample(
    customers: pd.DataFrame, result: engine_adapter.SegmentationResult, *, run: SegmentationRun
) -> dict:
    """A seeded sample of at most SCATTER_SAMPLE_SIZE customers, so charts never query all rows; on
    three or more features, with their coordinates on the principal plane and the plane itself."""
    rows = engine_adapter.sample_rows(n=len(customers), size=SCATTER_SAMPLE_SIZE, seed=run.seed)
    picked, columns = with_behaviour(customers.iloc[rows]), run.numeric_features
    sample = picked[columns].astype(float).round(2)
    projected = engine_adapter.sample_projection(
        customers=picked, scaler=result.scaler, labels=run.feature_labels
    )
    plane = None
    if projected is not None:
        coordinates, plane = projected
        columns = [*columns, *engine_adapter.PROJECTION_COLUMNS]
        sample[list(engine_adapter.PROJECTION_COLUMNS)] = coordinates.round(3)
    sample["segment"] = result.labels[rows]
    sample = sample.astype(object).where(sample.notna(), None)  # no purchases: no behaviour values
    return {"columns": [*columns, "segment"], "rows": sample.to_numpy().tolist(), "projection": plane}


def _fail(run_id: int, message: str) -> None:
    job_fail(SegmentationRun, run_id, message)
