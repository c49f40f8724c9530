"""Starting, cancelling and activating segmentation runs."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.exceptions import Conflict
from segmentation import engine_adapter
from segmentation.models import SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.tasks import execute_segmentation_run

Status = SegmentationRun.Status


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

    Raises ValidationError when the parameters cannot make a valid engine config.
    """
    config = engine_adapter.run_config(
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
        transaction.on_commit(lambda: execute_segmentation_run.delay(run.pk))
    return run


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
