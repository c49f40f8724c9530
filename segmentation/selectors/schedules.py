"""Re-segmentation schedules as their page lists them: when, and how their latest run went."""

from segmentation.models import SegmentationRun, SegmentationSchedule

RECENT_RUNS = 3


def schedules_with_last_runs() -> list[SegmentationSchedule]:
    """Every schedule with its crontab and ``recent_runs``: its latest RECENT_RUNS runs, newest first."""
    schedules = list(SegmentationSchedule.objects.select_related("periodic_task__crontab"))
    runs = SegmentationRun.objects.filter(schedule__in=schedules).order_by("-created_at")
    by_schedule: dict[int, list[SegmentationRun]] = {}
    for run in runs.only("pk", "schedule_id", "status", "is_active", "review_reason", "created_at", "k"):
        recent = by_schedule.setdefault(run.schedule_id, [])
        if len(recent) < RECENT_RUNS:
            recent.append(run)
    for schedule in schedules:
        schedule.recent_runs = by_schedule.get(schedule.pk, [])
    return schedules
