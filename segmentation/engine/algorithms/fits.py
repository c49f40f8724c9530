"""What every algorithm returns (`ClusterFit`), what it may be told (`AlgorithmParameters`), and the
helpers that work on any fit: numbering segments by size and measuring distances to centroids.

Labels are segment numbers 0..k-1, or OUTLIER (-1) for a row a density algorithm left out of every
segment. Outliers are never forced into a segment: they have no centroid and count in no inertia.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from numbers import Integral, Real
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from ..errors import EngineError, InvalidParameterError

OUTLIER = -1
MIN_FIT_SAMPLE_SIZE = 100
ParameterValue = float | int | str


class NoSegmentsFoundError(EngineError):
    """A density algorithm marked every customer an outlier: there is no segment to describe."""


@dataclass(frozen=True)
class AlgorithmParameters:
    """Optional settings of the algorithms that have them; None means the algorithm's documented default.

    eps and min_samples are DBSCAN's, min_cluster_size is HDBSCAN's. fit_sample_size caps the rows
    that DBSCAN, HDBSCAN, hierarchical clustering and the Gaussian mixture fit on (every other row
    is then extended); each has its own default. Every value applies to the rows fitted, the sample
    when there is one.
    """

    eps: float | None = None
    min_samples: int | None = None
    min_cluster_size: int | None = None
    fit_sample_size: int | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.eps is not None and not (_is_number(self.eps) and math.isfinite(self.eps) and self.eps > 0):
            problems.append(f"eps must be a number above 0, not {self.eps!r}.")
        lowest_values = {"min_samples": 2, "min_cluster_size": 2, "fit_sample_size": MIN_FIT_SAMPLE_SIZE}
        for name, lowest in lowest_values.items():
            value = getattr(self, name)
            if value is not None and not (_is_whole(value) and value >= lowest):
                problems.append(f"{name} must be a whole number of at least {lowest}, not {value!r}.")
        if problems:
            raise InvalidParameterError(" ".join(problems))

    def given(self) -> tuple[str, ...]:
        """The names of the settings that were given (not None)."""
        return tuple(name for name, value in vars(self).items() if value is not None)


@dataclass(frozen=True)
class Dendrogram:
    """The last merges of the Ward tree of the fitted rows, small enough to draw and JSON-able.

    It reads like scipy's linkage matrix for a tree of len(leaf_sizes) leaves: nodes 0..L-1 are the
    groups left just before these merges (leaf_sizes[i] rows each); merge i joins children[i] into
    node L+i at heights[i] (Ward distance, never decreasing) and holds sizes[i] rows. The last merge
    is the root. Cutting the tree into K segments cuts it below the last K-1 merges.
    """

    leaf_sizes: tuple[int, ...]
    children: tuple[tuple[int, int], ...]
    heights: tuple[float, ...]
    sizes: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class ClusterFit:
    """One clustering, in scaled space.

    labels: a segment 0..k-1 per row, or OUTLIER (-1); every segment has members.
    centroids: one row per segment (K-Means' centres; the members' mean for the other algorithms).
    inertia: the sum of squared distances of the non-outlier rows to their own centroid.
    probabilities: each row's probability of its own segment (Gaussian mixture), else None.
    fitted_on: how many rows the algorithm was fitted on when it fitted a sample, else None.
    parameters: what was chosen or used (eps, min_samples, min_cluster_size, covariance type...).
    dendrogram: the top of the tree (hierarchical clustering), else None.
    """

    labels: NDArray[np.intp]
    centroids: NDArray[np.float64]
    inertia: float
    probabilities: NDArray[np.float64] | None = None
    fitted_on: int | None = None
    parameters: Mapping[str, ParameterValue] = field(default_factory=lambda: MappingProxyType({}))
    dendrogram: Dendrogram | None = None


def fit_from_labels(
    *,
    points: NDArray[np.float64],
    labels: NDArray[np.integer],
    probabilities: NDArray[np.float64] | None = None,
    fitted_on: int | None = None,
    parameters: Mapping[str, ParameterValue] | None = None,
    dendrogram: Dendrogram | None = None,
) -> ClusterFit:
    """A ClusterFit whose centroids are the members' means; segments without members are dropped."""
    members = labels >= 0
    present, compact = np.unique(labels[members], return_inverse=True)
    renumbered = np.full(len(labels), OUTLIER, dtype=np.intp)
    renumbered[members] = compact
    counts = np.bincount(compact, minlength=len(present))
    centroids = (
        np.column_stack(
            [np.bincount(compact, weights=column, minlength=len(present)) for column in points[members].T]
        )
        / counts[:, np.newaxis]
    )
    inertia = float(((points[members] - centroids[compact]) ** 2).sum())
    return ClusterFit(
        labels=renumbered,
        centroids=centroids,
        inertia=inertia,
        probabilities=probabilities,
        fitted_on=fitted_on,
        parameters=MappingProxyType(dict(parameters or {})),
        dendrogram=dendrogram,
    )


def order_by_size(*, fit: ClusterFit) -> ClusterFit:
    """Renumber segments largest first (ties: smaller centroid coordinates first); outliers stay -1."""
    members = fit.labels >= 0
    sizes = np.bincount(fit.labels[members], minlength=len(fit.centroids))
    order = sorted(range(len(sizes)), key=lambda segment: (-sizes[segment], tuple(fit.centroids[segment])))
    new_number = np.empty(len(order), dtype=np.intp)
    new_number[order] = np.arange(len(order))
    labels = np.full(len(fit.labels), OUTLIER, dtype=np.intp)
    labels[members] = new_number[fit.labels[members]]
    return replace(fit, labels=labels, centroids=fit.centroids[order])


def distances_to_centroids(
    *, points: NDArray[np.float64], labels: NDArray[np.intp], centroids: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Euclidean distance of each row to its own segment's centroid, in scaled space.

    An outlier has no segment of its own: its distance is to the nearest centroid, so that it still
    reads as how far the customer stands from any segment.
    """
    from sklearn.neighbors import KDTree

    members = labels >= 0
    distances = np.empty(len(points), dtype=np.float64)
    distances[members] = np.linalg.norm(points[members] - centroids[labels[members]], axis=1)
    if not members.all():
        distances[~members] = KDTree(centroids).query(points[~members], k=1)[0][:, 0]
    return distances


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _is_whole(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)
