"""Choosing K: sweep a range of K, then read the elbow of the inertia curve, checked by silhouette.

The rule (`recommend_k`):
- The knee of the inertia curve (kneed.KneeLocator) is the primary answer.
- It stands if its silhouette is the highest, or within SILHOUETTE_TOLERANCE of the highest.
- Otherwise the K with the highest silhouette wins: the bend is too weak to trust.
- With no knee (fewer than three K, or a curve with no clear bend) the highest silhouette wins.
Ties in silhouette go to the smaller K. The reason sentence says which case happened.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from kneed import KneeLocator
from numpy.typing import NDArray

from .algorithms import fit_clusters
from .errors import TooFewCustomersError
from .features import count_distinct_rows
from .sampling import sample_indices
from .silhouette import silhouette_scores

SILHOUETTE_TOLERANCE = 0.05

KDoneCallback = Callable[[int, int, int], None]
"""Called after each K as (ks_done, ks_total, k)."""


@dataclass(frozen=True)
class KSweep:
    """Inertia and silhouette for each K tried, and the recommended K with its reason.

    `sample_size` rows were clustered for each K; silhouette used `silhouette_sample_size` of them.
    """

    ks: tuple[int, ...]
    inertias: tuple[float, ...]
    silhouettes: tuple[float | None, ...]
    knee: int | None
    recommended_k: int
    reason: str
    sample_size: int
    silhouette_sample_size: int


def sweep_k(
    *,
    points: NDArray[np.float64],
    k_range: tuple[int, int],
    algorithm: str,
    seed: int,
    sample_size: int,
    silhouette_sample_size: int,
    on_k_done: KDoneCallback | None = None,
) -> KSweep:
    """Fit every K in k_range (inclusive) on a seeded sample of at most sample_size rows.

    K stops at the number of distinct sampled points minus one, and the reason then says so.
    """
    sample = points[sample_indices(n=len(points), size=sample_size, seed=seed)]
    ks, cap_note = _candidate_ks(sample=sample, k_range=k_range)
    inertias: list[float] = []
    silhouettes: list[float | None] = []
    for done, k in enumerate(ks, start=1):
        fit = fit_clusters(algorithm=algorithm, points=sample, k=k, seed=seed)
        scores = silhouette_scores(
            points=sample, labels=fit.labels, k=k, sample_size=silhouette_sample_size, seed=seed
        )
        inertias.append(fit.inertia)
        silhouettes.append(scores.overall)
        if on_k_done is not None:
            on_k_done(done, len(ks), k)
    knee = find_knee(ks=ks, inertias=inertias)
    recommended_k, reason = recommend_k(ks=ks, silhouettes=silhouettes, knee=knee)
    return KSweep(
        ks=ks,
        inertias=tuple(inertias),
        silhouettes=tuple(silhouettes),
        knee=knee,
        recommended_k=recommended_k,
        reason=reason + cap_note,
        sample_size=len(sample),
        silhouette_sample_size=min(len(sample), silhouette_sample_size),
    )


def find_knee(*, ks: Sequence[int], inertias: Sequence[float]) -> int | None:
    """The elbow of the (convex, decreasing) inertia curve, or None when there is none."""
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
