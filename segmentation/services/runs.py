"""Starting, cancelling and activating segmentation runs."""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.exceptions import Conflict, ServiceUnavailable
from segmentation import engine_adapter
from segmentation.models import SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.tasks import execute_segmentation_run

logger = logging.getLogger(__name__)

Status = SegmentationRun.Status
QUEUE_UNREACHABLE = (
    "The job queue cannot be reached, so the run could not be started (it is marked failed). "
    "Try again in a few minutes; if it keeps happening, ask an administrator to check the queue."
)


def segmentation_run_start(
    *,
    started_by: AbstractBaseUser | None,
    features: list[str],
    k: int | None = None,
    scaling: str = engine_adapter.DEFAULT_SCALING,
    seed: int = engine_adapter.DEFAULT_SEED,
    k_range: tuple[int, int] = engine_adapter.DEFAULT_K_RANGE,
    algorithm: str = engine_adapter.DEFAULT_ALGORITHM,
    enqueue: bool = True,
) -> SegmentationRun:
    """Create a queued run and, once the transaction commits, hand it to a Celery worker.

    Raises ValidationError when the parameters cannot make a valid engine config, Conflict
    when the user already has ``RUNS_IN_PROGRESS_PER_USER`` runs queued or running, and
    ServiceUnavailable (the run marked failed) when the job queue cannot be reached.
    """
    config = engine_adapter.run_config(
        features=features, k=k, scaling=scaling, seed=seed, k_range=k_range, algorithm=algorithm
    )
    if started_by is not None:
        _check_runs_in_progress(started_by)
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
        transaction.on_commit(lambda: _enqueue(run))
    return run


def _check_runs_in_progress(user: AbstractBaseUser) -> None:
    """One user may not fill the queue: refuse a run beyond the per-user limit of unfinished runs."""
    limit = settings.RUNS_IN_PROGRESS_PER_USER
    if SegmentationRun.objects.unfinished().filter(started_by=user).count() >= limit:
        raise Conflict(
            f"You already have {limit} runs queued or running, the most one user may have at once: "
            "wait for one to finish, or cancel one."
        )


def _enqueue(run: SegmentationRun) -> None:
    """Publish the run's task; a run whose task cannot be published is failed at once, never left queued."""
    try:
        execute_segmentation_run.delay(run.pk)
    except (BrokerError, OSError) as error:
        logger.warning("Run %s could not be queued: %s", run.pk, error)
        SegmentationRun.objects.filter(pk=run.pk, status=Status.QUEUED).update(
            status=Status.FAILED, step="Failed", error=QUEUE_UNREACHABLE, finished_at=timezone.now()
        )
        raise ServiceUnavailable(QUEUE_UNREACHABLE) from error


def segmentation_run_cancel(*, run: SegmentationRun, user: AbstractBaseUser) -> SegmentationRun:
    """Cancel a queued or running run (see ``SegmentationRun.may_be_cancelled_by`` for who may)."""
    if not run.may_be_cancelled_by(user):
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
