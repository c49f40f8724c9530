"""Clustering algorithms behind one registry, so callers never name a concrete algorithm.

Each entry of `ALGORITHMS` says what a run form or report needs to know about the algorithm
(label, whether it takes K and how K is chosen, whether it marks outliers or gives membership
probabilities, which `AlgorithmParameters` it reads) and holds its fit function, which returns
a `ClusterFit`. A new algorithm is one module with a `FitFunction` and one entry here.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidParameterError
from .dbscan import DBSCAN_FIT_SAMPLE_SIZE, fit_dbscan
from .fits import (
    OUTLIER,
    AlgorithmParameters,
    ClusterFit,
    Dendrogram,
    NoSegmentsFoundError,
    distances_to_centroids,
    order_by_size,
)
from .hdbscan import HDBSCAN_FIT_SAMPLE_SIZE, fit_hdbscan
from .hierarchical import HIERARCHICAL_FIT_SAMPLE_SIZE, fit_hierarchical
from .kmeans import fit_kmeans
from .mixture import GMM_FIT_SAMPLE_SIZE, fit_gmm


class FitFunction(Protocol):
    def __call__(
        self, *, points: NDArray[np.float64], k: int | None, seed: int, parameters: AlgorithmParameters
    ) -> ClusterFit: ...


@dataclass(frozen=True)
class Algorithm:
    """One registered algorithm.

    fit_sample_size: the rows it fits at most by default (every other row is then extended to a
    segment or marked an outlier), or None when it fits every row.
    """

    label: str
    fit: FitFunction
    takes_k: bool
    k_choice: str
    marks_outliers: bool
    gives_probabilities: bool
    parameters: tuple[str, ...] = ()
    fit_sample_size: int | None = None


ALGORITHMS: Mapping[str, Algorithm] = MappingProxyType(
    {
        "kmeans": Algorithm(
            label="K-Means",
            fit=fit_kmeans,
            takes_k=True,
            k_choice="where the inertia curve bends (the elbow), checked by silhouette",
            marks_outliers=False,
            gives_probabilities=False,
        ),
        "dbscan": Algorithm(
            label="DBSCAN",
            fit=fit_dbscan,
            takes_k=False,
            k_choice="found by DBSCAN itself: one segment per dense region, eps from the knee of the "
            "k-distance curve unless given",
            marks_outliers=True,
            gives_probabilities=False,
            parameters=("eps", "min_samples", "fit_sample_size"),
            fit_sample_size=DBSCAN_FIT_SAMPLE_SIZE,
        ),
        "hdbscan": Algorithm(
            label="HDBSCAN",
            fit=fit_hdbscan,
            takes_k=False,
            k_choice="found by HDBSCAN itself: the most lasting dense groups of at least the minimum "
            "cluster size",
            marks_outliers=True,
            gives_probabilities=False,
            parameters=("min_cluster_size", "fit_sample_size"),
            fit_sample_size=HDBSCAN_FIT_SAMPLE_SIZE,
        ),
        "hierarchical": Algorithm(
            label="Hierarchical (Ward)",
            fit=fit_hierarchical,
            takes_k=True,
            k_choice="where the inertia curve of one Ward tree, cut at each K, bends (the elbow), "
            "checked by silhouette",
            marks_outliers=False,
            gives_probabilities=False,
            parameters=("fit_sample_size",),
            fit_sample_size=HIERARCHICAL_FIT_SAMPLE_SIZE,
        ),
        "gmm": Algorithm(
            label="Gaussian mixture",
            fit=fit_gmm,
            takes_k=True,
            k_choice="the lowest BIC (Bayesian information criterion): the best fit for the fewest "
            "components",
            marks_outliers=False,
            gives_probabilities=True,
            parameters=("fit_sample_size",),
            fit_sample_size=GMM_FIT_SAMPLE_SIZE,
        ),
    }
)
DEFAULT_PARAMETERS = AlgorithmParameters()
ALGORITHM_LABELS = {name: algorithm.label for name, algorithm in ALGORITHMS.items()}


def fit_clusters(
    *,
    algorithm: str,
    points: NDArray[np.float64],
    k: int | None,
    seed: int,
    parameters: AlgorithmParameters = DEFAULT_PARAMETERS,
) -> ClusterFit:
    """Fit `algorithm` on scaled `points`: with K for those that take it, without for the others.

    Raises InvalidParameterError for an unknown algorithm, a K given to (or missing for) an
    algorithm, or a parameter the algorithm does not use; NoSegmentsFoundError when a density
    algorithm marks every row an outlier.
    """
    chosen = registered(algorithm=algorithm)
    if chosen.takes_k and k is None:
        raise InvalidParameterError(f"{chosen.label} needs K: give it, or choose it automatically first.")
    if not chosen.takes_k and k is not None:
        raise InvalidParameterError(
            f"{chosen.label} finds the number of segments itself; leave K empty (it was {k})."
        )
    unused = [name for name in parameters.given() if name not in chosen.parameters]
    if unused:
        raise InvalidParameterError(f"{chosen.label} does not use {', '.join(unused)}; leave it empty.")
    return chosen.fit(points=points, k=k, seed=seed, parameters=parameters)


def registered(*, algorithm: str) -> Algorithm:
    """The registry entry of `algorithm`, or an InvalidParameterError naming the choices."""
    if algorithm not in ALGORITHMS:
        choices = ", ".join(ALGORITHMS)
        raise InvalidParameterError(f"Unknown algorithm {algorithm!r}; choose one of {choices}.")
    return ALGORITHMS[algorithm]


__all__ = [
    "ALGORITHMS",
    "ALGORITHM_LABELS",
    "OUTLIER",
    "Algorithm",
    "AlgorithmParameters",
    "ClusterFit",
    "DEFAULT_PARAMETERS",
    "Dendrogram",
    "FitFunction",
    "NoSegmentsFoundError",
    "distances_to_centroids",
    "fit_clusters",
    "order_by_size",
    "registered",
]
