"""Finding runs whose worker died or whose message was lost: each is marked failed, saying why."""

from core.jobs.lifecycle import jobs_fail_stale
from segmentation.models import SegmentationRun


def segmentation_runs_fail_stale() -> int:
    """Mark failed every stale run (see ``Job.is_stale``). Returns how many."""
    return len(jobs_fail_stale(SegmentationRun))
