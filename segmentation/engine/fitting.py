"""The clustering steps of a run: choosing K where the algorithm takes one, fitting, and re-fitting
subsets for stability with the settings the fit used."""

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .algorithms import (
    OUTLIER,
    Algorithm,
    AlgorithmParameters,
    ClusterFit,
    NoSegmentsFoundError,
    fit_clusters,
    order_by_size,
)
from .choosing_k import KSweep, sweep_k
from .config import SegmentationConfig

ProgressCallback = Callable[[int, str], None]
SWEEP_PROGRESS = (10, 70)


def choose_k(
    *, points: NDArray[np.float64], config: SegmentationConfig, algorithm: Algorithm, report: ProgressCallback
) -> tuple[KSweep | None, int | None]:
    """(the sweep, K): K as given, chosen by a sweep, or None for an algorithm that finds it itself."""
    if not algorithm.takes_k:
        return None, None
    if config.k is not None:
        return None, config.k
    start, end = SWEEP_PROGRESS

    def k_done(done: int, total: int, k: int) -> None:
        report(start + (end - start) * done // total, f"Tried K={k}, {done} of {total}")

    low, high = config.k_range
    report(start, f"Choosing K between {low} and {high}")
    sweep = sweep_k(
        points=points,
        k_range=config.k_range,
        algorithm=config.algorithm,
        seed=config.seed,
        sample_size=config.sweep_sample_size,
        silhouette_sample_size=config.silhouette_sample_size,
        on_k_done=k_done,
        parameters=config.parameters,
    )
    return sweep, sweep.recommended_k


def fit(*, points: NDArray[np.float64], config: SegmentationConfig, k: int | None) -> ClusterFit:
    """The fit, segments numbered largest first (outliers stay OUTLIER)."""
    return order_by_size(
        fit=fit_clusters(
            algorithm=config.algorithm, points=points, k=k, seed=config.seed, parameters=config.parameters
        )
    )


def refit_like(
    *, config: SegmentationConfig, algorithm: Algorithm, fitted: ClusterFit
) -> Callable[[NDArray[np.float64], int], NDArray[np.intp]]:
    """A re-fit of a subset with what the fit used (its K, its eps...), for stability. A subset in
    which a density algorithm finds no segment at all counts as every row an outlier."""
    k = len(fitted.centroids) if algorithm.takes_k else None
    settings = {
        name: fitted.parameters[name]
        for name in algorithm.parameters
        if name in fitted.parameters and name != "fit_sample_size"
    }
    parameters = AlgorithmParameters(**settings)

    def refit(subset: NDArray[np.float64], seed: int) -> NDArray[np.intp]:
        try:
            return fit_clusters(
                algorithm=config.algorithm, points=subset, k=k, seed=seed, parameters=parameters
            ).labels
        except NoSegmentsFoundError:
            return np.full(len(subset), OUTLIER, dtype=np.intp)

    return refit
