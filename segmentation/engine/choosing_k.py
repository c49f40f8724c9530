"""Choosing K: sweep a range of K, then read the elbow of the inertia curve checked by silhouette,
or, for a Gaussian mixture, take the lowest BIC.

The elbow rule (`recommend_k`), for K-Means and hierarchical clustering:
- The knee of the inertia curve (kneed.KneeLocator) is the primary answer.
- It stands if its silhouette is the highest, or within SILHOUETTE_TOLERANCE of the highest.
- Otherwise the K with the highest silhouette wins: the bend is too weak to trust.
- With no knee (fewer than three K, or a curve with no clear bend) the highest silhouette wins.
Ties in silhouette go to the smaller K. The reason sentence says which case happened.

The BIC rule (`recommend_by_bic`), for a Gaussian mixture: the K of the lowest BIC, ties to the
smaller K. BIC already weighs fit against the number of parameters, so no elbow is read.

K-Means fits each K on the sample; hierarchical clustering builds one Ward tree on the sample and
cuts it at each K; a Gaussian mixture is fitted for each K and scored by BIC. Density algorithms
(DBSCAN, HDBSCAN) find their segments themselves and have no K to sweep.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .algorithms import DEFAULT_PARAMETERS, AlgorithmParameters, ClusterFit, fit_clusters, registered
from .algorithms.fits import fit_from_labels
from .algorithms.hierarchical import HIERARCHICAL_FIT_SAMPLE_SIZE, cut_tree, ward_tree
from .algorithms.mixture import fit_mixture
from .errors import InvalidParameterError, TooFewCustomersError
from .features import count_distinct_rows
from .sampling import sample_indices
from .silhouette import silhouette_scores_of_labelings

SILHOUETTE_TOLERANCE = 0.05

KDoneCallback = Callable[[int, int, int], None]
"""Called after each K as (ks_done, ks_total, k)."""


@dataclass(frozen=True)
class KSweep:
    """Inertia and silhouette (and, for a Gaussian mixture, BIC) for each K tried, and the
    recommended K with its reason.

    `sample_size` rows were clustered for each K; silhouette used `silhouette_sample_size` of them.
    knee is None under the BIC rule; bics is None under the elbow rule.
    """

    ks: tuple[int, ...]
    inertias: tuple[float, ...]
    silhouettes: tuple[float | None, ...]
    knee: int | None
    recommended_k: int
    reason: str
    sample_size: int
    silhouette_sample_size: int
    bics: tuple[float, ...] | None = None


def sweep_k(
    *,
    points: NDArray[np.float64],
    k_range: tuple[int, int],
    algorithm: str,
    seed: int,
    sample_size: int,
    silhouette_sample_size: int,
    on_k_done: KDoneCallback | None = None,
    parameters: AlgorithmParameters = DEFAULT_PARAMETERS,
) -> KSweep:
    """Fit every K in k_range (inclusive) on a seeded sample of at most sample_size rows.

    Hierarchical clustering's sample is also at most its fit sample size (from `parameters`, else
    its default), so that the tree cut here is the tree its final fit builds when the sizes agree.
    K stops at the number of distinct sampled points minus one, and the reason then says so.
    """
    sample = _sweep_sample(
        points=points, algorithm=algorithm, seed=seed, sample_size=sample_size, parameters=parameters
    )
    ks, cap_note = _candidate_ks(sample=sample, k_range=k_range)
    fits = list(_fits_reporting(algorithm=algorithm, sample=sample, ks=ks, seed=seed, on_k_done=on_k_done))
    scores = silhouette_scores_of_labelings(
        points=sample,
        labelings=[(fit.labels, k) for k, fit, _ in fits],
        sample_size=silhouette_sample_size,
        seed=seed,
    )
    inertias = tuple(fit.inertia for _, fit, _ in fits)
    silhouettes = tuple(score.overall for score in scores)
    bics = tuple(bic for _, _, bic in fits)
    measured_bics = None if None in bics else bics
    if measured_bics:
        knee = None
        recommended_k, reason = recommend_by_bic(ks=ks, bics=measured_bics)
    else:
        knee = find_knee(ks=ks, inertias=inertias)
        recommended_k, reason = recommend_k(ks=ks, silhouettes=silhouettes, knee=knee)
    return KSweep(
        ks=ks,
        inertias=inertias,
        silhouettes=silhouettes,
        knee=knee,
        recommended_k=recommended_k,
        reason=reason + cap_note,
        sample_size=len(sample),
        silhouette_sample_size=min(len(sample), silhouette_sample_size),
        bics=measured_bics,
    )


def _sweep_sample(
    *,
    points: NDArray[np.float64],
    algorithm: str,
    seed: int,
    sample_size: int,
    parameters: AlgorithmParameters,
) -> NDArray[np.float64]:
    """The seeded sample the sweep fits; refuses an algorithm that has no K."""
    chosen = registered(algorithm=algorithm)
    if not chosen.takes_k:
        raise InvalidParameterError(
            f"{chosen.label} finds the number of segments itself; it has no K to choose."
        )
    if algorithm == "hierarchical":
        sample_size = min(sample_size, parameters.fit_sample_size or HIERARCHICAL_FIT_SAMPLE_SIZE)
    return points[sample_indices(n=len(points), size=sample_size, seed=seed)]


def _fits_reporting(
    *,
    algorithm: str,
    sample: NDArray[np.float64],
    ks: Sequence[int],
    seed: int,
    on_k_done: KDoneCallback | None,
) -> Iterator[tuple[int, ClusterFit, float | None]]:
    """``_fits_per_k``, calling on_k_done after each K."""
    for done, fitted in enumerate(_fits_per_k(algorithm=algorithm, sample=sample, ks=ks, seed=seed), 1):
        yield fitted
        if on_k_done is not None:
            on_k_done(done, len(ks), fitted[0])


def _fits_per_k(
    *, algorithm: str, sample: NDArray[np.float64], ks: Sequence[int], seed: int
) -> Iterator[tuple[int, ClusterFit, float | None]]:
    """(K, the fit at K, its BIC or None) for each K, fitted the cheapest way for the algorithm."""
    if algorithm == "hierarchical":
        tree = ward_tree(points=sample)
        for k in ks:
            yield k, fit_from_labels(points=sample, labels=cut_tree(tree=tree, k=k)), None
    elif algorithm == "gmm":
        for k in ks:
            mixture = fit_mixture(points=sample, k=k, seed=seed)
            yield (
                k,
                fit_from_labels(points=sample, labels=mixture.predict(sample)),
                float(mixture.bic(sample)),
            )
    else:
        for k in ks:
            yield k, fit_clusters(algorithm=algorithm, points=sample, k=k, seed=seed), None


def find_knee(*, ks: Sequence[int], inertias: Sequence[float]) -> int | None:
    """The elbow of the (convex, decreasing) inertia curve, or None when there is none."""
    from kneed import KneeLocator

    if len(ks) < 3:
        return None
    knee = KneeLocator(list(ks), list(inertias), curve="convex", direction="decreasing").knee
    return None if knee is None else int(knee)


def recommend_k(
    *, ks: Sequence[int], silhouettes: Sequence[float | None], knee: int | None
) -> tuple[int, str]:
    """Apply the module's rule; returns (K, one-sentence reason)."""
    if len(ks) == 1:
        return ks[0], f"only K={ks[0]} could be tried"
    scored = {k: score for k, score in zip(ks, silhouettes, strict=True) if score is not None}
    best = max(scored, key=lambda k: (scored[k], -k), default=None)
    if knee is None and best is None:
        return ks[0], (
            f"the curve has no clear bend and silhouette is undefined, so the smallest K={ks[0]} is used"
        )
    if knee is None:
        return best, f"the curve has no clear bend; K={best} has the highest silhouette ({scored[best]:.2f})"
    if best is None:
        return knee, f"the curve bends at K={knee}; silhouette is undefined there"
    if knee == best:
        return knee, f"the curve bends at K={knee}; silhouette {scored[best]:.2f} is also the highest"
    knee_score = scored.get(knee)
    if knee_score is not None and scored[best] - knee_score <= SILHOUETTE_TOLERANCE:
        return knee, (
            f"the curve bends at K={knee}; its silhouette {knee_score:.2f} is close to the highest "
            f"({scored[best]:.2f} at K={best})"
        )
    knee_text = "undefined" if knee_score is None else f"{knee_score:.2f}"
    return best, (
        f"the curve bends at K={knee}, but its silhouette ({knee_text}) is not close to the highest "
        f"({scored[best]:.2f} at K={best}), so K={best} is used"
    )


def recommend_by_bic(*, ks: Sequence[int], bics: Sequence[float]) -> tuple[int, str]:
    """The K of the lowest BIC (ties to the smaller K), with a one-sentence reason."""
    if len(ks) == 1:
        return ks[0], f"only K={ks[0]} could be tried"
    best = min(zip(ks, bics, strict=True), key=lambda k_bic: (k_bic[1], k_bic[0]))[0]
    return best, (
        f"K={best} has the lowest BIC ({bics[list(ks).index(best)]:,.0f}): of the mixtures tried, it "
        "explains the customers best for the number of components it uses"
    )


def _candidate_ks(*, sample: NDArray[np.float64], k_range: tuple[int, int]) -> tuple[tuple[int, ...], str]:
    """The Ks to try and, when the range had to be capped, a clause saying why."""
    low, high = k_range
    distinct = count_distinct_rows(matrix=sample)
    cap = distinct - 1
    if cap < low:
        raise TooFewCustomersError(
            f"There are only {distinct} distinct customers, too few to choose K automatically "
            f"(trying K={low} needs at least {low + 1}); choose K yourself or add customers."
        )
    if cap < high:
        note = f" (K was tried only up to {cap}: there are just {distinct} distinct customers)"
        return tuple(range(low, cap + 1)), note
    return tuple(range(low, high + 1)), ""
