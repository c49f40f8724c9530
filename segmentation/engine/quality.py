"""Can these segments be trusted? Cluster tendency, internal metrics and stability (issue #12).

Pure maths on scaled points; every function works on a bounded seeded sample (cost flat in N).

Cluster tendency is the Hopkins statistic, not the gap statistic: tried on the test data, the gap
statistic (k-means, uniform reference in the bounding box) found one group in the Mall Customers
file and in two concentric rings, and costs a k-means sweep per reference set; Hopkins told every
known case apart, far cheaper. Caveat: one round blob of customers shows "structure" too (Hopkins
measures departure from an even spread); silhouette and stability then judge the cuts.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .sampling import sample_indices
from .silhouette import SilhouetteScores, silhouette_scores

NOISE = -1
TENDENCY_SAMPLE_SIZE = 2_000
# Each Hopkins repeat probes the usual 10 % of the sample, at least MIN_PROBES rows (all of a tiny
# one). One repeat on the 200-row Mall file wanders by about ±0.08; the mean of ten does not.
PROBE_SHARE = 0.1
MIN_PROBES = 10
HOPKINS_REPEATS = 10
HOPKINS_THRESHOLD = 0.7
"""Hopkins statistic above which the points have natural groups.

Uniformly spread points give 0.5 (with distances to the d-th power, Beta(m, m) for m probes in
any dimension), grouped points near 1. Over 200 seeds uniform data in 2 and 4 dimensions stayed
below 0.54 and the Mall income/spending above 0.76. The usual 0.75 (Lawson & Jurs 1990) is for
plain distances, whose grouped values sink towards 0.5 as dimensions grow. Under 50 rows the
statistic is loose: 10 uniform rows pass 0.7 about once in a hundred seeds.
"""


UNSTABLE_BELOW = 0.6
"""Mean Jaccard below which a segment should not be trusted (Hennig 2007, "Cluster-wise assessment
of cluster stability", and fpc's clusterboot): 0.6-0.75 a pattern with doubtful members, 0.75+ stable."""

Refit = Callable[[NDArray[np.float64], int], NDArray[np.intp]]


@dataclass(frozen=True)
class ClusterTendency:
    """Whether the points have natural groups at all; statistic is nan with fewer than two distinct points."""

    statistic: float
    method: str
    sample_size: int
    has_structure: bool


@dataclass(frozen=True)
class QualityMetrics:
    """Internal metrics on `sample_size` sampled non-noise rows; None where undefined."""

    silhouette: float | None
    davies_bouldin: float | None
    calinski_harabasz: float | None
    sample_size: int
    noise_share: float


@dataclass(frozen=True)
class Stability:
    """Mean best Jaccard per segment and mean adjusted Rand index over the resamples.

    A segment with no sampled member is nan and, being unmeasured, not listed in `unstable`.
    """

    per_segment: tuple[float, ...]
    overall_ari: float
    resamples: int
    sample_size: int
    unstable: tuple[int, ...]


def cluster_tendency(
    *, points: NDArray[np.float64], seed: int, sample_size: int = TENDENCY_SAMPLE_SIZE
) -> ClusterTendency:
    """Hopkins statistic on a seeded sample, the mean of HOPKINS_REPEATS seeded repeats.

    Columns without spread in the sample are dropped: they separate nothing and would only
    raise the exponent. With no column left (fewer than two distinct points) the statistic is
    nan and there is no structure. Exact duplicates are at distance 0 from each other, so they
    count as structure: a pile of identical customers is a group.
    """
    sample = points[sample_indices(n=len(points), size=sample_size, seed=seed)]
    sample = sample[:, np.ptp(sample, axis=0) > 0]
    statistic = _hopkins(sample=sample, seed=seed) if sample.shape[1] else np.nan
    return ClusterTendency(
        statistic=statistic,
        method="hopkins",
        sample_size=len(sample),
        has_structure=statistic > HOPKINS_THRESHOLD,
    )


def _hopkins(*, sample: NDArray[np.float64], seed: int) -> float:
    """Mean of U / (U + W) over the repeats: U sums the gaps from uniform points in the bounding box
    to the nearest sampled row, W the gaps from probed rows to their nearest other row, each gap
    raised to the power d."""
    from sklearn.neighbors import KDTree

    rows, dimensions = sample.shape
    probes = min(rows, max(MIN_PROBES, round(PROBE_SHARE * rows)))
    # Not default_rng(seed) itself: points drawn from that stream would come back as the probes.
    rng = np.random.default_rng([seed, 1])
    tree = KDTree(sample)
    probed = np.concatenate([rng.choice(rows, size=probes, replace=False) for _ in range(HOPKINS_REPEATS)])
    row_gaps = tree.query(sample[probed], k=2)[0][:, 1]
    uniform_points = rng.uniform(sample.min(axis=0), sample.max(axis=0), size=(len(probed), dimensions))
    uniform_gaps = tree.query(uniform_points, k=1)[0][:, 0]
    # Dividing by the largest gap first keeps the powers in [0, 1], however many dimensions.
    largest = max(row_gaps.max(), uniform_gaps.max())
    row_sums, uniform_sums = (
        np.sum((gaps / largest).reshape(HOPKINS_REPEATS, probes) ** dimensions, axis=1)
        for gaps in (row_gaps, uniform_gaps)
    )
    return float(np.mean(uniform_sums / (uniform_sums + row_sums)))


def quality_metrics(
    *,
    points: NDArray[np.float64],
    labels: NDArray[np.intp],
    seed: int,
    sample_size: int = 5_000,
    silhouette: SilhouetteScores | None = None,
) -> QualityMetrics:
    """Silhouette, Davies–Bouldin and Calinski–Harabasz on one seeded sample of the non-noise rows.

    ``silhouette``: the one a caller already measured on that same sample (``silhouette_scores``
    of the non-noise rows, same seed and sample size), so it is not computed twice."""
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

    clustered = np.flatnonzero(labels != NOISE)
    rows = clustered[sample_indices(n=len(clustered), size=sample_size, seed=seed)]
    sample, sample_labels = points[rows], labels[rows]
    sizes = {"sample_size": len(rows), "noise_share": 1 - len(clustered) / len(labels)}
    if not 2 <= len(np.unique(sample_labels)) < len(rows):
        return QualityMetrics(silhouette=None, davies_bouldin=None, calinski_harabasz=None, **sizes)
    silhouette = silhouette or silhouette_scores(
        points=sample, labels=sample_labels, k=int(sample_labels.max()) + 1, sample_size=len(rows), seed=seed
    )
    return QualityMetrics(
        silhouette=silhouette.overall,
        davies_bouldin=float(davies_bouldin_score(sample, sample_labels)),
        calinski_harabasz=float(calinski_harabasz_score(sample, sample_labels)),
        **sizes,
    )


def segment_stability(
    *,
    points: NDArray[np.float64],
    labels: NDArray[np.intp],
    refit: Refit,
    seed: int,
    resamples: int = 10,
    sample_size: int = 5_000,
    subsample_fraction: float = 0.8,
) -> Stability:
    """Hennig's clusterboot on a seeded sample: re-cluster subsets, see which segments come back.

    Resample r draws `subsample_fraction` of the sample without replacement and calls
    `refit(subset, seed + r)`. Subsetting rather than the bootstrap: a bootstrap's duplicated rows
    would look like dense spots to a density method such as DBSCAN. Segments are the labels
    0..max(labels); noise (-1) is never a segment, and a row the refit calls noise is in no cluster.
    """
    from sklearn.metrics import adjusted_rand_score

    rows = sample_indices(n=len(points), size=sample_size, seed=seed)
    sample, sample_labels = points[rows], labels[rows]
    segments = int(labels.max(initial=NOISE)) + 1
    rng = np.random.default_rng(seed)
    jaccards = np.full((resamples, segments), np.nan)
    agreements = np.empty(resamples)
    for resample in range(resamples):
        subset = np.sort(rng.choice(len(rows), size=round(subsample_fraction * len(rows)), replace=False))
        original, refitted = sample_labels[subset], np.asarray(refit(sample[subset], seed + resample))
        jaccards[resample] = _best_jaccards(original=original, refitted=refitted, segments=segments)
        agreements[resample] = adjusted_rand_score(
            _noise_as_singletons(original), _noise_as_singletons(refitted)
        )
    per_segment = tuple(_mean_of_measured(jaccards[:, segment]) for segment in range(segments))
    return Stability(
        per_segment=per_segment,
        overall_ari=float(agreements.mean()),
        resamples=resamples,
        sample_size=len(rows),
        unstable=tuple(segment for segment, value in enumerate(per_segment) if value < UNSTABLE_BELOW),
    )


def _best_jaccards(
    *, original: NDArray[np.intp], refitted: NDArray[np.intp], segments: int
) -> NDArray[np.float64]:
    """Each original segment's best Jaccard with any refitted cluster (nan: no member in the subset)."""
    in_segment = original[:, None] == np.arange(segments)
    in_cluster = refitted[:, None] == np.unique(refitted[refitted != NOISE])
    shared = in_segment.T.astype(np.int64) @ in_cluster.astype(np.int64)
    union = in_segment.sum(axis=0)[:, None] + in_cluster.sum(axis=0)[None, :] - shared
    best = (shared / union).max(axis=1, initial=0.0)
    return np.where(in_segment.any(axis=0), best, np.nan)


def _noise_as_singletons(labels: NDArray[np.intp]) -> NDArray[np.intp]:
    """Each noise row becomes a cluster of its own, so noise rows never count as grouped together."""
    noise = labels == NOISE
    relabelled = labels.copy()
    relabelled[noise] = labels.max(initial=NOISE) + 1 + np.arange(noise.sum())
    return relabelled


def _mean_of_measured(values: NDArray[np.float64]) -> float:
    measured = values[~np.isnan(values)]
    return float(measured.mean()) if len(measured) else np.nan
