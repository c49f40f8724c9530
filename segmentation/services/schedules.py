"""Scheduled re-segmentation: saving a schedule (its django-celery-beat crontab and task kept in
step) and starting its runs. Whether a scheduled run then activates itself is
``services.guardrails``."""

import json

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from segmentation.models import SegmentationRun, SegmentationSchedule
from segmentation.services.runs import run_parameters_check, segmentation_run_start

SCHEDULED_TASK = "segmentation.run_scheduled_segmentation"
CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")
RUN_PARAMETERS = {"features", "k", "scaling", "seed", "k_range", "algorithm", "algorithm_parameters"}


@transaction.atomic
def schedule_save(
    *,
    user: AbstractBaseUser,
    schedule: SegmentationSchedule | None = None,
    name: str,
    cron: str,
    enabled: bool,
    run_parameters: dict,
    max_silhouette_drop: float,
    min_customers_kept: float,
) -> SegmentationSchedule:
    """Create or change a schedule and its beat task; ValidationError naming the field otherwise."""
    if not user.has_perm(
        "segmentation.change_segmentationschedule" if schedule else "segmentation.add_segmentationschedule"
    ):
        raise PermissionDenied("Managing schedules needs the schedule permissions.")
    _check_run_parameters(run_parameters)
    cron_fields = _cron_fields(cron)
    schedule = schedule or SegmentationSchedule(created_by=user)
    schedule.name, schedule.run_parameters = name.strip(), run_parameters
    schedule.max_silhouette_drop, schedule.min_customers_kept = max_silhouette_drop, min_customers_kept
    schedule.full_clean(exclude=["periodic_task", "created_by"])
    schedule.save()
    crontab, _ = CrontabSchedule.objects.get_or_create(**cron_fields)
    schedule.periodic_task = _beat_task(schedule, crontab=crontab, enabled=enabled)
    schedule.save(update_fields=["periodic_task"])
    return schedule


def schedule_delete(*, user: AbstractBaseUser, schedule: SegmentationSchedule) -> None:
    """Delete the schedule and its beat task; the runs it started stay, without it."""
    if not user.has_perm("segmentation.delete_segmentationschedule"):
        raise PermissionDenied("Deleting schedules needs the schedule permissions.")
    with transaction.atomic():
        if schedule.periodic_task:
            schedule.periodic_task.delete()
        schedule.delete()


def schedule_start_run(*, schedule_id: int) -> SegmentationRun | None:
    """What beat's task does: start the schedule's run, unless the schedule is gone or paused,
    or its last run is still queued or running (a late beat never piles runs up)."""
    schedule = SegmentationSchedule.objects.select_related("periodic_task").filter(pk=schedule_id).first()
    if schedule is None or not schedule.enabled:
        return None
    if schedule.runs.filter(status__in=SegmentationRun.UNFINISHED).exists():
        return None
    return segmentation_run_start(
        started_by=None, schedule=schedule, **_as_arguments(schedule.run_parameters)
    )


def schedule_check(*, cron: str, run_parameters: dict) -> None:
    """ValidationError naming the problem when ``cron`` or ``run_parameters`` cannot make a schedule."""
    _check_run_parameters(run_parameters)
    _cron_fields(cron)


def _check_run_parameters(run_parameters: object) -> None:
    """ValidationError on ``run_parameters`` unless they are what ``run_parameters_check`` takes
    and make a valid run."""
    if not isinstance(run_parameters, dict) or "features" not in run_parameters:
        raise ValidationError({"run_parameters": "An object naming at least the features to run on."})
    unknown = sorted(set(run_parameters) - RUN_PARAMETERS)
    if unknown:
        raise ValidationError({"run_parameters": f"Unknown run setting(s): {', '.join(unknown)}."})
    try:
        run_parameters_check(**_as_arguments(run_parameters))
    except (ValidationError, TypeError, ValueError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise ValidationError({"run_parameters": messages}) from error


def _as_arguments(run_parameters: dict) -> dict:
    """Stored run parameters as ``segmentation_run_start`` takes them (JSON has no tuples)."""
    if "k_range" not in run_parameters:
        return dict(run_parameters)
    return dict(run_parameters, k_range=tuple(run_parameters["k_range"]))


def _cron_fields(cron: str) -> dict[str, str]:
    """The crontab's fields from "minute hour day month weekday"; ValidationError on ``cron`` naming
    what is wrong otherwise."""
    parts = cron.split()
    if len(parts) != len(CRON_FIELDS):
        raise ValidationError({"cron": "Five fields, as crontab writes them: minute hour day month weekday."})
    fields = {**dict(zip(CRON_FIELDS, parts, strict=True)), "timezone": settings.TIME_ZONE}
    try:
        CrontabSchedule(**fields).full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{field.replace('_', ' ')}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise ValidationError({"cron": problems}) from error
    return fields


def _beat_task(schedule: SegmentationSchedule, *, crontab: CrontabSchedule, enabled: bool) -> PeriodicTask:
    task, _ = PeriodicTask.objects.update_or_create(
        name=f"Segmentation schedule {schedule.pk}",
        defaults={
            "task": SCHEDULED_TASK,
            "crontab": crontab,
            "args": json.dumps([schedule.pk]),
            "enabled": enabled,
        },
    )
    return task
