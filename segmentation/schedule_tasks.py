"""Beat's entry point for re-segmentation schedules: take a schedule's id, call the service.

Apart from ``tasks.py`` because it starts runs (``services.runs``), which queue
``tasks.execute_segmentation_run``; ``SegmentationConfig.ready`` imports it so the worker knows it."""

from celery import shared_task

from segmentation.services.schedules import SCHEDULED_TASK, schedule_start_run


@shared_task(name=SCHEDULED_TASK)
def run_scheduled_segmentation(schedule_id: int) -> None:
    schedule_start_run(schedule_id=schedule_id)
