"""Finding runs whose worker died: a run whose heartbeat stopped is marked failed, saying why."""

from django.utils import timezone

from segmentation.models import SegmentationRun

Status = SegmentationRun.Status


def segmentation_runs_fail_stale() -> int:
    """Mark failed every running run whose worker stopped sending heartbeats. Returns how many.

    Each run is failed by a conditional update, so a heartbeat that arrives meanwhile wins.
    """
    count = 0
    for run in SegmentationRun.objects.stale():
        count += (
            SegmentationRun.objects.stale()
            .filter(pk=run.pk)
            .update(
                status=Status.FAILED,
                step="Failed",
                finished_at=timezone.now(),
                error=run.stale_failure_message(),
            )
        )
    return count
