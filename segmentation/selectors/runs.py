"""Runs as their watchers see them, what their charts draw, and a run's whole outcome."""

from django.db.models import QuerySet
from django.utils import timezone

from segmentation import engine_adapter
from segmentation.models import Segment, SegmentationRun


def runs_with_starters() -> QuerySet[SegmentationRun]:
    """Runs, newest first, with the user who started each."""
    return SegmentationRun.objects.select_related("started_by")


def run_as_seen(run: SegmentationRun) -> SegmentationRun:
    """The run as its watchers should see it, without writing anything.

    A running run whose worker stopped sending heartbeats is shown failed, with the reason,
    as soon as anyone looks; the watchdog job (``segmentation_runs_fail_stale``) records it.
    """
    if run.is_stale:
        run.error = run.stale_failure_message()
        run.status, run.step, run.finished_at = SegmentationRun.Status.FAILED, "Failed", timezone.now()
    return run


def run_chart_data(*, run: SegmentationRun, segments: list[Segment]) -> dict:
    """What the charts draw, JSON-ready: the scatter sample, centroids and the K sweep."""
    numeric = engine_adapter.NUMERIC_FEATURES
    return {
        "runId": run.pk,
        "features": [feature for feature in run.features if feature in numeric],
        "labels": {feature: engine_adapter.FEATURE_LABELS[feature] for feature in numeric},
        "segments": [
            {"number": segment.number, "name": segment.name, "centroid": segment.centroid}
            for segment in segments
        ],
        "sample": run.scatter_sample,
        "customerCount": run.customer_count,
        "k": run.k,
        "sweep": run.k_sweep,
    }


def run_outcome(*, run: SegmentationRun) -> dict:
    """The run as one JSON-ready object: status, K, quality, the K sweep and every segment."""
    segments = run.segments.select_related("persona").order_by("number")
    return {
        "run_id": run.pk,
        "status": run.status,
        "error": run.error or None,
        "active": run.is_active,
        "features": run.features,
        "k": run.k,
        "k_automatic": run.requested_k is None,
        "silhouette": run.silhouette,
        "customers": run.customer_count,
        "k_sweep": run.k_sweep,
        "segments": [
            {
                "number": segment.number,
                "label": segment.name,
                "persona": segment.persona.name if segment.persona else None,
                "size": segment.size,
                "share": segment.share,
                "centroid": segment.centroid,
                "levels": segment.levels,
                "silhouette": segment.silhouette,
            }
            for segment in segments
        ],
    }
