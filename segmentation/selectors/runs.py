"""Runs as their watchers see them, what their charts draw, and a run's whole outcome."""

from django.db.models import QuerySet

from core.jobs.lifecycle import job_as_seen
from segmentation import engine_adapter
from segmentation.models import Segment, SegmentationRun


def runs_with_starters() -> QuerySet[SegmentationRun]:
    """Runs, newest first, with the user who started each."""
    return SegmentationRun.objects.select_related("started_by")


def run_as_seen(run: SegmentationRun) -> SegmentationRun:
    """The run as its watchers should see it: a stale run reads as failed (``job_as_seen``)."""
    return job_as_seen(run)


def run_chart_data(*, run: SegmentationRun, segments: list[Segment]) -> dict:
    """What the charts draw, JSON-ready: the scatter sample, centroids and the K sweep."""
    numeric = run.numeric_features
    projection = (run.scatter_sample or {}).get("projection")
    axes = list(engine_adapter.PROJECTION_COLUMNS) if projection else []
    return {
        "runId": run.pk,
        "features": [*axes, *(feature for feature in run.features if feature in numeric)],
        "labels": {
            **{feature: run.label_of(feature) for feature in numeric},
            **dict(zip(axes, projection["names"] if projection else [], strict=True)),
        },
        "segments": [
            {
                "number": segment.number,
                "name": segment.name,
                "centroid": _centroid(segment, projection),
                "outliers": segment.is_outliers,
            }
            for segment in segments
        ],
        "sample": run.scatter_sample,
        "customerCount": run.customer_count,
        "k": run.k,
        "sweep": run.k_sweep,
    }


def _centroid(segment: Segment, projection: dict | None) -> dict:
    """The segment's centre in original units and, for a projected run, on the principal plane."""
    if projection is None or segment.is_outliers:
        return segment.centroid
    on_plane = engine_adapter.centroid_projection(
        projection=projection, centroid_scaled=segment.centroid_scaled
    )
    return {**segment.centroid, **dict(zip(engine_adapter.PROJECTION_COLUMNS, on_plane, strict=True))}


def run_outcome(*, run: SegmentationRun) -> dict:
    """The run as one JSON-ready object: status, K, quality, the K sweep and every segment."""
    segments = run.segments.select_related("persona").order_by("number")
    return {
        "run_id": run.pk,
        "status": run.status,
        "error": run.error or None,
        "active": run.is_active,
        "features": run.features,
        "algorithm": run.algorithm,
        "k": run.k,
        "k_automatic": run.requested_k is None,
        "silhouette": run.silhouette,
        "customers": run.customer_count,
        "k_sweep": run.k_sweep,
        "algorithm_parameters": run.algorithm_parameters,
        "fit_details": run.fit_details,
        "quality": run.quality,
        "warnings": run.warnings,
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
                "stability": segment.stability,
                "cautions": segment.cautions,
                "is_outliers": segment.is_outliers,
            }
            for segment in segments
        ],
    }
