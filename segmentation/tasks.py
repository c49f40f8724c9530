"""Celery entry points: take an id, call a service."""

from celery import shared_task
from django.conf import settings

from segmentation.services.execution import segmentation_run_execute
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.services.watchdog import segmentation_runs_fail_stale


# Acknowledged late so a run survives a worker restart before it starts; safe because
# executing a run twice does the work once (the claim from queued to running is atomic).
@shared_task(
    acks_late=True,
    soft_time_limit=settings.RUN_TIME_LIMIT_SECONDS,
    time_limit=settings.RUN_TIME_LIMIT_SECONDS + 60,
)
def execute_segmentation_run(run_id: int) -> None:
    segmentation_run_execute(run_id=run_id)


@shared_task
def fail_stale_runs() -> None:
    segmentation_runs_fail_stale()


@shared_task
def place_new_customers() -> None:
    segmentation_place_new_customers()
