"""Starting, cancelling and activating segmentation runs."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import Conflict
from core.jobs.lifecycle import job_cancel, job_check_in_progress_limit, job_enqueue
from customers.models import CustomerAttribute
from segmentation import engine_adapter
from segmentation.models import SegmentationRun, SegmentationSchedule
from segmentation.services.activation import run_make_active
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.tasks import execute_segmentation_run

Status = SegmentationRun.Status


def run_parameters_check(
    *,
    features: list[str],
    k: int | None = None,
    scaling: str = engine_adapter.DEFAULT_SCALING,
    seed: int = engine_adapter.DEFAULT_SEED,
    k_range: tuple[int, int] = engine_adapter.DEFAULT_K_RANGE,
    algorithm: str = engine_adapter.DEFAULT_ALGORITHM,
    algorithm_parameters: dict[str, float | int] | None = None,
) -> engine_adapter.SegmentationConfig:
    """The engine's config for these run parameters (``features`` may name declared attributes,
    ``algorithm_parameters`` DBSCAN's eps and min_samples or HDBSCAN's min_cluster_size);
    ValidationError naming every problem otherwise."""
    return engine_adapter.run_config(
        features=features,
        k=k,
        scaling=scaling,
        seed=seed,
        k_range=k_range,
        algorithm=algorithm,
        custom_features=CustomerAttribute.objects.labels(),
        algorithm_parameters=algorithm_parameters or {},
    )


def segmentation_run_start(
    *,
    started_by: AbstractBaseUser | None,
    enqueue: bool = True,
    schedule: SegmentationSchedule | None = None,
    **parameters,
) -> SegmentationRun:
    """Create a queued run and, once the transaction commits, hand it to a Celery worker.

    ``parameters`` are ``run_parameters_check``'s. Raises ValidationError when they cannot make a
    valid engine config, Conflict when the user already has ``RUNS_IN_PROGRESS_PER_USER`` runs
    queued or running, and ServiceUnavailable (the run marked failed) when the job queue cannot
    be reached. ``schedule``: the schedule starting it, if one is.
    """
    config = run_parameters_check(**parameters)
    if started_by is not None:
        job_check_in_progress_limit(SegmentationRun, started_by, limit=settings.RUNS_IN_PROGRESS_PER_USER)
    run = SegmentationRun.objects.create(
        started_by=started_by,
        schedule=schedule,
        features=list(config.features),
        feature_labels={feature: config.labels[feature] for feature in config.features},
        algorithm=config.algorithm,
        algorithm_parameters=dict(parameters.get("algorithm_parameters") or {}),
        scaling=config.scaling,
        requested_k=config.k,
        k_min=config.k_range[0],
        k_max=config.k_range[1],
        seed=config.seed,
        step="Waiting for a worker",
    )
    if enqueue:
        transaction.on_commit(lambda: job_enqueue(run, execute_segmentation_run.delay))
    return run


def segmentation_run_cancel(*, run: SegmentationRun, user: AbstractBaseUser) -> SegmentationRun:
    """Cancel a queued or running run (see ``Job.may_be_cancelled_by`` for who may)."""
    return job_cancel(run, user=user)


@transaction.atomic
def segmentation_run_activate(
    *, run: SegmentationRun, activated_by: AbstractBaseUser | None = None
) -> SegmentationRun:
    """Make ``run`` the active run (the one that defines each customer's segment), and record it;
    either way, place the customers added since it ran."""
    run = SegmentationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != Status.SUCCEEDED:
        raise Conflict("Only a succeeded run can be made active.")
    run_make_active(run=run, activated_by=activated_by)
    segmentation_place_new_customers(run=run)
    return run
