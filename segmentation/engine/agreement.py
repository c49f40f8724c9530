"""Comparing runs: how far two segmentations of the same customers agree, and which one to activate.

Agreement is the adjusted Rand index computed from the contingency table (customers counted by
their segment in one run and in the other), so a caller can count the table in SQL and never
load a million labels. The recommendation weighs, in this order: natural groups over bands, no
unstable or tiny segment, stable enough under re-sampling (ARI at least STABLE_AGREEMENT), then
silhouette; finer differences of stability only break ties.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

STABLE_AGREEMENT = 0.8
"""A run whose re-clusterings agree at least this much (ARI) is stable enough: above it, a better
silhouette matters more than a slightly higher agreement."""


def adjusted_rand_from_table(table: ArrayLike) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985) from a contingency table of counts.

    1 when both runs group the customers identically, about 0 when they agree no more than chance.
    Two trivial groupings (each one group, or each customer alone) agree fully: 1.
    """
    counts = np.asarray(table, dtype=np.float64)
    pairs_in_cells = _pairs(counts).sum()
    pairs_in_rows, pairs_in_columns = _pairs(counts.sum(axis=1)).sum(), _pairs(counts.sum(axis=0)).sum()
    expected = pairs_in_rows * pairs_in_columns / _pairs(counts.sum())
    best = (pairs_in_rows + pairs_in_columns) / 2
    if best == expected:
        return 1.0
    return float((pairs_in_cells - expected) / (best - expected))


def _pairs(counts: ArrayLike) -> np.ndarray:
    """n choose 2, element-wise."""
    values = np.asarray(counts, dtype=np.float64)
    return values * (values - 1) / 2


@dataclass(frozen=True)
class RunStanding:
    """What the recommendation weighs about one run."""

    run_id: int
    has_structure: bool
    doubtful_segments: int
    stability: float | None
    silhouette: float | None


def recommend_run(standings: Sequence[RunStanding]) -> tuple[int, str]:
    """The run to activate and one sentence saying why."""
    best = max(standings, key=_merit)
    others = [standing for standing in standings if standing is not best]
    return best.run_id, f"Activate run {best.run_id}: {_merits_in_words(best, others)}."


def _merit(standing: RunStanding) -> tuple:
    return (
        standing.has_structure,
        -standing.doubtful_segments,
        _or_lowest(standing.stability) >= STABLE_AGREEMENT,
        _or_lowest(standing.silhouette),
        _or_lowest(standing.stability),
        standing.run_id,  # all else equal, the newer run
    )


def _merits_in_words(best: RunStanding, others: Sequence[RunStanding]) -> str:
    words = []
    if not best.has_structure:
        words.append("no run compared finds natural groups, so read its segments as bands")
    elif any(not other.has_structure for other in others):
        words.append("its customers form natural groups")
    if best.doubtful_segments == 0:
        words.append("none of its segments is unstable or tiny")
    else:
        words.append(f"it has the fewest unstable or tiny segments ({best.doubtful_segments})")
    if best.stability is not None:
        words.append(f"its segments come back when customers are re-sampled (ARI {best.stability:.2f})")
    if best.silhouette is not None:
        words.append(f"silhouette {best.silhouette:.2f}")
    return ", ".join(words)


def _or_lowest(value: float | None) -> float:
    return -np.inf if value is None else value
