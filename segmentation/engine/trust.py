"""Whether a run's segments can be trusted, and the warnings a user must read before acting on them.

`measure_quality` gathers the evidence (cluster tendency, the internal metrics, stability under
re-sampling, see `quality`); `run_warnings` turns it, with the segments' sizes and names, into
warnings with stable codes that pages, the API and the command all show:

- ``weak_structure``: the customers form no natural groups; the segments are bands of a continuum;
- ``unstable_segment``: a segment does not come back when the customers are re-sampled;
- ``tiny_segment``: a segment too small to act on (below a share or a count of the customers);
- ``sampled``: the final fit saw a sample of the customers, then every customer was assigned.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from .quality import (
    HOPKINS_THRESHOLD,
    UNSTABLE_BELOW,
    ClusterTendency,
    QualityMetrics,
    Refit,
    Stability,
    cluster_tendency,
    quality_metrics,
    segment_stability,
)
from .readings import metric_readings
from .silhouette import SilhouetteScores

WARNING_CODES = ("weak_structure", "unstable_segment", "tiny_segment", "sampled")


@dataclass(frozen=True)
class Quality:
    """The evidence about a run: does the data group at all, how good and how stable are the segments."""

    tendency: ClusterTendency
    metrics: QualityMetrics
    readings: Mapping[str, str]
    stability: Stability

    def to_dict(self) -> dict:
        """JSON-ready: NaN (undefined) becomes None; per-segment stability is left to the segments."""
        stability = self.stability
        return _finite(
            {
                "tendency": asdict(self.tendency) | {"threshold": HOPKINS_THRESHOLD},
                "metrics": asdict(self.metrics),
                "readings": dict(self.readings),
                "stability": {
                    "overall_ari": stability.overall_ari,
                    "resamples": stability.resamples,
                    "sample_size": stability.sample_size,
                    "unstable_below": UNSTABLE_BELOW,
                },
            }
        )


@dataclass(frozen=True)
class RunWarning:
    """A warning with a stable code; ``segment`` is the segment it is about, if one."""

    code: str
    message: str
    segment: int | None = None


@dataclass(frozen=True)
class SizeGuard:
    """A segment is tiny below ``min_share`` of the customers or below ``min_size`` customers."""

    min_share: float
    min_size: int

    def tiny(self, *, sizes: Sequence[int], total: int | None = None) -> tuple[int, ...]:
        """The segments that are tiny among ``total`` customers (default: the sizes' sum)."""
        total = sum(sizes) if total is None else total
        return tuple(
            segment
            for segment, size in enumerate(sizes)
            if size < self.min_size or (total and size / total < self.min_share)
        )


def measure_quality(
    *,
    points: NDArray[np.float64],
    labels: NDArray[np.intp],
    refit: Refit,
    seed: int,
    sample_size: int,
    resamples: int,
    silhouette: SilhouetteScores,
) -> Quality:
    """Tendency, metrics and stability, each on a bounded seeded sample of the scaled points;
    ``silhouette`` is the run's own, measured on the same sample as the other metrics."""
    metrics = quality_metrics(
        points=points, labels=labels, seed=seed, sample_size=sample_size, silhouette=silhouette
    )
    return Quality(
        tendency=cluster_tendency(points=points, seed=seed),
        metrics=metrics,
        readings=metric_readings(metrics),
        stability=segment_stability(
            points=points, labels=labels, refit=refit, seed=seed, resamples=resamples, sample_size=sample_size
        ),
    )


def run_warnings(
    *,
    quality: Quality,
    sizes: Sequence[int],
    names: Sequence[str],
    guard: SizeGuard,
    fitted_on: int | None,
    total: int,
) -> tuple[RunWarning, ...]:
    """Every warning the run deserves, run-wide ones first, then segment by segment. ``sizes``
    are the segments' (outliers are none); ``total`` counts every customer of the run."""
    warnings = []
    if not quality.tendency.has_structure:
        warnings.append(_weak_structure(quality.tendency))
    if fitted_on is not None:
        warnings.append(
            RunWarning(
                code="sampled",
                message=f"Fitted on {fitted_on:,} of {total:,} customers (a seeded sample); "
                "every other customer was then given the segment of the nearest fitted ones.",
            )
        )
    for segment in quality.stability.unstable:
        warnings.append(_unstable(segment, names[segment], quality.stability.per_segment[segment]))
    for segment in guard.tiny(sizes=sizes, total=total):
        warnings.append(_tiny(segment, names[segment], sizes[segment], total))
    return tuple(warnings)


def _weak_structure(tendency: ClusterTendency) -> RunWarning:
    return RunWarning(
        code="weak_structure",
        message=(
            "These customers do not form natural groups; the segments are slices of a continuum "
            f"(Hopkins statistic {tendency.statistic:.2f}: about 0.5 means evenly spread, above "
            f"{HOPKINS_THRESHOLD} grouped). Use them as bands, not as discovered groups."
        ),
    )


def _unstable(segment: int, name: str, jaccard: float) -> RunWarning:
    return RunWarning(
        code="unstable_segment",
        segment=segment,
        message=(
            f"{name} is unstable: re-clustering samples of the customers finds it again only "
            f"{jaccard:.0%} alike (Jaccard {jaccard:.2f}, below {UNSTABLE_BELOW}); do not rest a "
            "campaign on it alone."
        ),
    )


def _tiny(segment: int, name: str, size: int, total: int) -> RunWarning:
    counted = "1 customer" if size == 1 else f"{size:,} customers"
    return RunWarning(
        code="tiny_segment",
        segment=segment,
        message=f"{name} holds only {counted} ({size / total:.1%}); too few to act on with confidence.",
    )


def _finite(value):
    """``value`` with every NaN float, however deep, replaced by None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, float) and value != value:
        return None
    return value
