"""Executing a queued run on a worker: claim it, run the engine, report progress, store the result
(measuring its quality in a second thread meanwhile).

Progress and a heartbeat are written on the run row at every step; a run that stops being
``running`` meanwhile (cancelled, or failed by the watchdog) is abandoned at the next step,
and a run that fails leaves no partial results: everything is stored in one transaction.
"""

import functools
import logging
from concurrent.futures import Future
from dataclasses import dataclass

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
from core.threads import computed_in_background
from customers.book_lock import deletions_so_far
from segmentation import engine_adapter
from segmentation.models import Persona, Segment, SegmentationRun
from segmentation.selectors.frames import customers_frame, with_values_for
from segmentation.services.assignments import run_assignments_write
from segmentation.services.guardrails import scheduled_run_settle
from segmentation.services.identity import segments_continue_active_run
from segmentation.services.run_figures import data_fingerprint, scatter_sample

logger = logging.getLogger(__name__)

Status = SegmentationRun.Status
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
        _segment_and_store(run)
    except JobInterrupted:
        logger.info("Run %s was cancelled or marked failed while running; results discarded.", run_id)
    except engine_adapter.EngineError as error:
        _fail(run_id, str(error))
    except SoftTimeLimitExceeded:
        minutes = settings.RUN_TIME_LIMIT_SECONDS // 60
        _fail(run_id, f"The run took longer than its {minutes}-minute limit and was stopped; nothing saved.")
    except DatabaseError as error:
        _fail(run_id, DATABASE_LOST if connection_lost(error) else INTERNAL_ERROR)
        raise
    except Exception:
        _fail(run_id, INTERNAL_ERROR)
        raise


def _segment_and_store(run: SegmentationRun) -> None:
    """Read the customers, segment them, then store the result while its quality is measured in a
    thread: the write waits on the database, which leaves a core free for the maths."""
    engine_adapter.libraries_load_in_background()
    deletions_before_read = deletions_so_far()
    everyone = customers_frame(attributes=list(run.custom_features), behaviour=run.uses_behaviour)
    customers = with_values_for(everyone, features=run.features)
    config = _run_config(run)
    segmentation = engine_adapter.segmentation_compute(
        customers=customers,
        config=config,
        personas=Persona.objects.values_list("name", "rule"),
        on_progress=_progress_reporter(run.pk),
        threads=settings.ENGINE_THREADS,
    )
    _report_progress(run.pk, 85, "Saving segments and assignments, measuring their quality")
    measure = functools.partial(
        _measured, run, segmentation=segmentation, config=config, everyone=everyone, customers=customers
    )
    with computed_in_background(measure, threads=settings.ENGINE_THREADS) as measured:
        _store_result(
            run_id=run.pk,
            customers=customers,
            segmentation=segmentation,
            measured=measured,
            without_history=len(everyone) - len(customers),
            deletions_before_read=deletions_before_read,
        )


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


def _progress_reporter(run_id: int) -> engine_adapter.ProgressCallback:
    def report(percent: int, step: str) -> None:
        _report_progress(run_id, min(percent, 98), step)

    return report


def _report_progress(run_id: int, percent: int, step: str) -> None:
    job_report_progress(SegmentationRun, run_id, percent, step)


@dataclass(frozen=True)
class _Measured:
    """What a run measures while its assignments are written (``_measured``)."""

    result: engine_adapter.SegmentationResult
    population: dict[str, dict]
    fingerprint: str


def _measured(
    run: SegmentationRun,
    *,
    segmentation: engine_adapter.Segmentation,
    config: engine_adapter.SegmentationConfig,
    everyone: pd.DataFrame,
    customers: pd.DataFrame,
) -> _Measured:
    """The run's quality, the summary of ``everyone`` and the fingerprint of the ``customers`` it
    segmented: maths only, no database, so that it runs in a thread while the assignments are written."""
    return _Measured(
        result=engine_adapter.segmentation_measure(segmentation=segmentation, config=config),
        population=engine_adapter.population_summarise(customers=everyone, features=run.numeric_features),
        fingerprint=data_fingerprint(customers, features=run.features),
    )


@transaction.atomic
def _store_result(
    *,
    run_id: int,
    customers: pd.DataFrame,
    segmentation: engine_adapter.Segmentation,
    measured: Future[_Measured],
    without_history: int,
    deletions_before_read: int | None,
) -> None:
    """Store the segments and assignments, then, once ``measured`` is done, the segments' quality
    and the run's results: in one transaction."""
    run = job_lock_running(SegmentationRun, run_id)
    segments = _store_segments(run, segmentation)
    members = run_assignments_write(
        run=run,
        customer_ids=customers["id"].to_numpy(),
        segment_ids=np.array([segment.pk for segment in segments])[segmentation.labels],
        distances=segmentation.distances,
        probabilities=segmentation.fit.probabilities,
        deletions_before_read=deletions_before_read,
    )
    measures = measured.result()
    result = measures.result
    _store_segment_quality(segments, result)
    run.status, run.progress, run.step = Status.SUCCEEDED, 100, "Done"
    run.finished_at = run.heartbeat_at = timezone.now()
    run.k, run.customer_count, run.data_fingerprint = result.k, len(customers), measures.fingerprint
    run.customers_without_history = without_history
    run.silhouette, run.inertia = result.silhouette, result.inertia
    for field, value in result.to_dict().items():
        setattr(run, field, value)
    run.population = measures.population
    run.scatter_sample = scatter_sample(customers, result, run=run)
    customers_kept = segments_continue_active_run(run=run, members=members)
    run.save()
    scheduled_run_settle(run=run, customers_kept=customers_kept)


def _store_segments(run: SegmentationRun, segmentation: engine_adapter.Segmentation) -> list[Segment]:
    """Write the run's segments, each with its persona, by segment number; their quality comes later."""
    personas = {persona.name: persona for persona in Persona.objects.all()}
    rows = []
    for number, description in enumerate(segmentation.segments):
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
                else [float(value) for value in segmentation.fit.centroids[number]],
                medians=dict(profile.medians),
                levels=dict(profile.levels),
                gender_shares=dict(profile.gender_shares) if profile.gender_shares else None,
                is_outliers=description.is_outliers,
            )
        )
    return Segment.objects.bulk_create(rows)


def _store_segment_quality(segments: list[Segment], result: engine_adapter.SegmentationResult) -> None:
    """Each stored segment's silhouette, stability and cautions, as measured."""
    for segment, description in zip(segments, result.segments, strict=True):
        segment.silhouette, segment.stability = description.silhouette, description.stability
        segment.cautions = list(description.cautions)
    Segment.objects.bulk_update(segments, ["silhouette", "stability", "cautions"])


def _fail(run_id: int, message: str) -> None:
    job_fail(SegmentationRun, run_id, message)
