"""Use cases of segmentation: start, execute, cancel and activate runs; place new customers.

This module is the one adapter between the database and the pure engine: it turns the
customer table into the engine's DataFrame and the engine's result into rows.
"""

import dataclasses
import hashlib
import logging
from datetime import timedelta

import numpy as np
import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from threadpoolctl import threadpool_limits

from customers.models import Customer
from mallseg.bulk import insert_frame, read_frame
from mallseg.exceptions import Conflict
from segmentation import engine
from segmentation.models import Assignment, Persona, Segment, SegmentationRun

logger = logging.getLogger(__name__)

Status = SegmentationRun.Status
CUSTOMER_COLUMNS = ["id", "annual_income", "spending_score", "age", "gender"]
PLACEMENT_CHUNK_ROWS = 200_000
SCATTER_SAMPLE_SIZE = 3_000


class RunInterrupted(Exception):
    """The run stopped being ours to finish: cancelled, or marked failed as stale."""


# STARTING


def segmentation_run_start(
    *,
    started_by: AbstractBaseUser | None,
    features: list[str],
    k: int | None = None,
    scaling: str = "standard",
    seed: int = 42,
    k_range: tuple[int, int] = (2, 10),
    algorithm: str = "kmeans",
    enqueue: bool = True,
) -> SegmentationRun:
    """Create a queued run and, once the transaction commits, hand it to a Celery worker.

    Raises ValidationError when the parameters cannot make a valid engine config.
    """
    config = _engine_config(
        features=features, k=k, scaling=scaling, seed=seed, k_range=k_range, algorithm=algorithm
    )
    run = SegmentationRun.objects.create(
        started_by=started_by,
        features=list(config.features),
        algorithm=config.algorithm,
        scaling=config.scaling,
        requested_k=config.k,
        k_min=config.k_range[0],
        k_max=config.k_range[1],
        seed=config.seed,
        step="Waiting for a worker",
    )
    if enqueue:
        from segmentation.tasks import execute_segmentation_run  # tasks import this module

        transaction.on_commit(lambda: execute_segmentation_run.delay(run.pk))
    return run


def _engine_config(**parameters) -> engine.SegmentationConfig:
    try:
        return engine.SegmentationConfig(**parameters)
    except engine.EngineError as error:
        raise ValidationError(str(error)) from error


def run_config(run: SegmentationRun) -> engine.SegmentationConfig:
    return engine.SegmentationConfig(
        features=run.features,
        algorithm=run.algorithm,
        k=run.requested_k,
        k_range=(run.k_min, run.k_max),
        scaling=run.scaling,
        seed=run.seed,
    )


# EXECUTING


def segmentation_run_execute(*, run_id: int) -> None:
    """Run the engine for a queued run and store its results in one transaction.

    Safe to call twice for the same run (at-least-once delivery): only the call that moves
    the run from queued to running does the work; any other call returns at once.
    """
    now = timezone.now()
    claimed = SegmentationRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, progress=0, step="Loading customers"
    )
    if not claimed:
        logger.info("Run %s is not queued any more; nothing to do.", run_id)
        return
    run = SegmentationRun.objects.get(pk=run_id)
    try:
        customers = load_customers()
        # One BLAS/OpenMP thread per worker process: Celery already runs one process per
        # core, and oversubscribed threads made the K sweep several times slower.
        with threadpool_limits(limits=settings.ENGINE_THREADS):
            result = engine.run_segmentation(
                customers=customers,
                config=run_config(run),
                persona_rules=[persona.as_rule() for persona in Persona.objects.all()],
                on_progress=_progress_reporter(run_id),
            )
        _report_progress(run_id, 99, "Saving segments and assignments")
        _store_result(
            run_id=run_id,
            customers=customers,
            result=result,
            population=engine.summarise_population(customers=customers),
            fingerprint=data_fingerprint(customers),
        )
    except RunInterrupted:
        logger.info("Run %s was cancelled or marked failed while running; results discarded.", run_id)
    except engine.EngineError as error:
        _fail(run_id, str(error))
    except SoftTimeLimitExceeded:
        minutes = settings.RUN_TIME_LIMIT_SECONDS // 60
        _fail(run_id, f"The run took longer than its {minutes}-minute limit and was stopped; nothing saved.")
    except Exception:
        _fail(run_id, "The run failed because of an internal error; the administrators have the details.")
        raise


def load_customers() -> pd.DataFrame:
    """The whole customer book as one frame (id and the engine's columns), in id order."""
    columns = ", ".join(CUSTOMER_COLUMNS)
    return read_frame(
        query=f"SELECT {columns} FROM {Customer._meta.db_table} ORDER BY id", columns=CUSTOMER_COLUMNS
    )


def data_fingerprint(customers: pd.DataFrame) -> str:
    """A hash of exactly the data a run saw, to tell whether two runs saw the same customers."""
    digest = hashlib.sha256()
    for column in CUSTOMER_COLUMNS:
        values = customers[column].to_numpy()
        digest.update(
            values.astype("U6").tobytes() if column == "gender" else values.astype(np.float64).tobytes()
        )
    return digest.hexdigest()


def _progress_reporter(run_id: int) -> engine.ProgressCallback:
    def report(percent: int, step: str) -> None:
        _report_progress(run_id, min(percent, 98), step)

    return report


def _report_progress(run_id: int, percent: int, step: str) -> None:
    """Store progress and the heartbeat; stop the run if it is no longer running."""
    updated = SegmentationRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
        progress=percent, step=step[:200], heartbeat_at=timezone.now()
    )
    if not updated:
        raise RunInterrupted


@transaction.atomic
def _store_result(
    *,
    run_id: int,
    customers: pd.DataFrame,
    result: engine.SegmentationResult,
    population: dict[str, engine.PopulationSummary],
    fingerprint: str,
) -> None:
    run = SegmentationRun.objects.select_for_update().get(pk=run_id)
    if run.status != Status.RUNNING:
        raise RunInterrupted
    personas = {persona.name: persona for persona in Persona.objects.all()}
    segments = Segment.objects.bulk_create(
        [
            _segment_row(run, segment, result.centroids[number], personas)
            for number, segment in enumerate(result.segments)
        ]
    )
    segment_ids = np.array([segment.pk for segment in segments])
    insert_frame(
        table=Assignment._meta.db_table,
        frame=pd.DataFrame(
            {
                "run_id": run.pk,
                "customer_id": customers["id"].to_numpy(),
                "segment_id": segment_ids[result.labels],
                "distance": result.distances,
                "placed": False,
            }
        ),
    )
    _drop_assignments_of_deleted_customers(run)
    sweep = result.sweep
    run.status, run.progress, run.step = Status.SUCCEEDED, 100, "Done"
    run.finished_at = run.heartbeat_at = timezone.now()
    run.k, run.customer_count, run.data_fingerprint = result.k, len(customers), fingerprint
    run.silhouette, run.inertia = result.silhouette, result.inertia
    run.k_sweep = dataclasses.asdict(sweep) if sweep else None
    run.scaler = result.scaler.to_dict()
    run.level_bands = {feature: dataclasses.asdict(band) for feature, band in result.bands.items()}
    run.population = {feature: dataclasses.asdict(summary) for feature, summary in population.items()}
    run.scatter_sample = _scatter_sample(customers, result.labels, seed=run.seed)
    run.is_active = not SegmentationRun.objects.filter(is_active=True).exists()
    run.save()


def _drop_assignments_of_deleted_customers(run: SegmentationRun) -> None:
    """Customers deleted while the run computed lose their assignment (one set-based check)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Assignment._meta.db_table} AS a WHERE a.run_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {Customer._meta.db_table} AS c WHERE c.id = a.customer_id)",
            [run.pk],
        )


def _scatter_sample(customers: pd.DataFrame, labels: np.ndarray, *, seed: int) -> dict:
    """A seeded sample of at most SCATTER_SAMPLE_SIZE customers, so charts never query all rows."""
    rows = engine.sample_indices(n=len(customers), size=SCATTER_SAMPLE_SIZE, seed=seed)
    columns = list(engine.NUMERIC_FEATURES)
    sample = customers.iloc[rows][columns].astype(float).round(2)
    sample["segment"] = labels[rows]
    return {"columns": [*columns, "segment"], "rows": sample.to_numpy().tolist()}


def _segment_row(
    run: SegmentationRun, segment: engine.Segment, centroid_scaled: np.ndarray, personas: dict[str, Persona]
) -> Segment:
    profile = segment.profile
    return Segment(
        run=run,
        number=profile.index,
        name=segment.display_name,
        persona=personas.get(segment.persona),
        size=profile.size,
        share=profile.share,
        centroid=dict(profile.means),
        centroid_scaled=[float(value) for value in centroid_scaled],
        medians=dict(profile.medians),
        levels=dict(profile.levels),
        gender_shares=dict(profile.gender_shares) if profile.gender_shares else None,
        silhouette=segment.silhouette,
    )


def _fail(run_id: int, message: str) -> None:
    SegmentationRun.objects.filter(pk=run_id, status__in=SegmentationRun.UNFINISHED).update(
        status=Status.FAILED, error=message, step="Failed", finished_at=timezone.now()
    )


# WATCHING, CANCELLING, ACTIVATING


def segmentation_runs_fail_stale() -> int:
    """Mark failed every running run whose worker stopped sending heartbeats. Returns how many."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.RUN_HEARTBEAT_TIMEOUT_SECONDS)
    stale = SegmentationRun.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    count = 0
    for run in stale:
        heard = timezone.localtime(run.heartbeat_at).strftime("%H:%M:%S %Z")
        count += SegmentationRun.objects.filter(
            pk=run.pk, status=Status.RUNNING, heartbeat_at__lt=cutoff
        ).update(
            status=Status.FAILED,
            step="Failed",
            finished_at=now,
            error=(
                f"The worker running this run stopped responding (last heartbeat at {heard}, during "
                f"“{run.step}”); it may have run out of memory or been restarted. Nothing was saved: "
                "start the run again."
            ),
        )
    return count


def segmentation_run_cancel(*, run: SegmentationRun, user: AbstractBaseUser) -> SegmentationRun:
    """Cancel a queued or running run: allowed to the user who started it and to staff."""
    if not (user.is_staff or run.started_by_id == user.pk):
        raise PermissionDenied("Only the user who started this run, or staff, can cancel it.")
    cancelled = SegmentationRun.objects.filter(pk=run.pk, status__in=SegmentationRun.UNFINISHED).update(
        status=Status.CANCELLED, step=f"Cancelled by {user.get_username()}", finished_at=timezone.now()
    )
    run.refresh_from_db()
    if not cancelled:
        raise Conflict(f"This run has already {run.get_status_display().lower()}; it cannot be cancelled.")
    return run


@transaction.atomic
def segmentation_run_activate(*, run: SegmentationRun) -> SegmentationRun:
    """Make ``run`` the active run (the one that defines each customer's segment)."""
    run = SegmentationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != Status.SUCCEEDED:
        raise Conflict("Only a succeeded run can be made active.")
    SegmentationRun.objects.filter(is_active=True).exclude(pk=run.pk).update(is_active=False)
    run.is_active = True
    run.save(update_fields=["is_active", "updated_at"])
    segmentation_place_new_customers(run=run)
    return run


# PLACING CUSTOMERS ADDED AFTER A RUN


def segmentation_place_new_customers(*, run: SegmentationRun | None = None) -> int:
    """Give customers without an assignment in the run (default: the active one) their nearest segment.

    Such customers were imported or created after the run; their assignments are marked
    ``placed`` rather than clustered. Returns how many were placed.
    """
    run = run or SegmentationRun.objects.active()
    if run is None:
        return 0
    ids_and_centroids = list(run.segments.order_by("number").values_list("pk", "centroid_scaled"))
    segment_ids = np.array([segment_id for segment_id, _ in ids_and_centroids])
    centroids = [centroid for _, centroid in ids_and_centroids]
    scaler = engine.ScalerParams.from_dict(data=run.scaler)
    customers = _unassigned_customers(run)
    with transaction.atomic():
        for start in range(0, len(customers), PLACEMENT_CHUNK_ROWS):
            chunk = customers.iloc[start : start + PLACEMENT_CHUNK_ROWS]
            numbers, distances = engine.place_customers(customers=chunk, scaler=scaler, centroids=centroids)
            frame = pd.DataFrame(
                {
                    "run_id": run.pk,
                    "customer_id": chunk["id"].to_numpy(),
                    "segment_id": segment_ids[numbers],
                    "distance": distances,
                    "placed": True,
                }
            )
            insert_frame(table=Assignment._meta.db_table, frame=frame)
        _drop_assignments_of_deleted_customers(run)
    return len(customers)


def _unassigned_customers(run: SegmentationRun) -> pd.DataFrame:
    columns = ", ".join(f"c.{column}" for column in CUSTOMER_COLUMNS)
    assigned = (
        f"SELECT 1 FROM {Assignment._meta.db_table} AS a "
        f"WHERE a.customer_id = c.id AND a.run_id = {int(run.pk)}"
    )
    table = Customer._meta.db_table
    return read_frame(
        query=f"SELECT {columns} FROM {table} AS c WHERE NOT EXISTS ({assigned}) ORDER BY c.id",
        columns=CUSTOMER_COLUMNS,
    )
