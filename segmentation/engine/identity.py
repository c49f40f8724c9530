"""Segment identity across runs: which of a new run's segments continue which of an earlier run's.

Segment numbers mean nothing from one run to the next (0 is simply the largest), so a re-run is
matched to the earlier run on its members:

1. Overlap. Customers in both runs are counted by their segment in each (the contingency table).
   The pairing that maximises the total Jaccard similarity of members (an optimal assignment,
   Hungarian method) is taken, and a pair stands when its Jaccard similarity is at least
   MIN_JACCARD: most of the earlier segment's members are in the new one and most of the new
   one's members came from it. A segment split in two continues in the larger half; the other
   half is new.
2. Centroids. A segment left unmatched, mostly of customers the earlier run never saw, continues
   the nearest unmatched earlier segment when their centres (on the new run's scaled axes) are
   within MAX_CENTROID_DISTANCE standard deviations.

Outlier groups (density algorithms' noise) only ever continue outlier groups. What is kept is
reported as the share of the earlier segment's members (of those in both runs) found in the one
that continues it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .scaling import ScalerParams

MIN_JACCARD = 1 / 3
"""Below this member overlap a pairing is a coincidence, not a continuation."""
MAX_CENTROID_DISTANCE = 0.5
"""Standard deviations between centres within which an unmatched segment continues an earlier one."""


@dataclass(frozen=True)
class SegmentMatch:
    """How the new run's segment ``new`` (its index) relates to the earlier run.

    ``previous``: the index of the earlier segment it continues, or None for a new segment.
    ``by``: "members" or "centroid" (how the match was made), None when new.
    ``kept_share``: of the earlier segment's members in both runs, the share in this one (None
    when new, or when the earlier segment has no member in both runs).
    """

    new: int
    previous: int | None
    by: str | None
    kept_share: float | None


@dataclass(frozen=True)
class SegmentsToMatch:
    """One run's segments: which are outlier groups, and their centres on the new run's scaled axes
    (None for outlier groups, which have no centre)."""

    outliers: Sequence[bool]
    centres: Sequence[Sequence[float] | None]


def match_segments(
    *, overlap: ArrayLike, previous: SegmentsToMatch, new: SegmentsToMatch
) -> list[SegmentMatch]:
    """One SegmentMatch per new segment, in order. ``overlap[i][j]``: customers in the earlier
    run's segment i and the new run's segment j."""
    counts = np.asarray(overlap, dtype=np.float64).reshape(len(previous.outliers), len(new.outliers))
    same_kind = np.equal.outer(np.asarray(previous.outliers, bool), np.asarray(new.outliers, bool))
    pairs = _pairs_by_members(counts, same_kind)
    pairs.update(_pairs_by_centres(previous, new, same_kind, taken=pairs))
    matches = []
    for j in range(len(new.outliers)):
        i, by = pairs.get(j, (None, None))
        shared = counts[i].sum() if i is not None else 0
        kept = float(counts[i, j] / shared) if shared else None
        matches.append(SegmentMatch(new=j, previous=i, by=by, kept_share=kept))
    return matches


def match_runs_segments(
    *,
    overlap: ArrayLike,
    previous: Sequence[tuple[bool, Sequence[float]]],
    new: Sequence[tuple[bool, Sequence[float]]],
    previous_scaler: ScalerParams | None,
    new_scaler: ScalerParams | None,
) -> list[SegmentMatch]:
    """``match_segments`` for two runs' segments given as (is_outliers, centre in the run's own
    scaled space). Earlier centres are carried onto the new run's axes through original units; runs
    on different features (or a run with no scaler) have no common axes and are matched on their
    members only."""
    common_axes = bool(previous_scaler and new_scaler and previous_scaler.columns == new_scaler.columns)

    def on_new_axes(outliers: bool, centre: Sequence[float]) -> list[float] | None:
        if outliers or not common_axes:
            return None
        raw = previous_scaler.inverse_transform(scaled=np.asarray([centre], dtype=np.float64))
        return new_scaler.transform(raw=raw)[0].tolist()

    return match_segments(
        overlap=overlap,
        previous=SegmentsToMatch(
            outliers=[outliers for outliers, _ in previous],
            centres=[on_new_axes(outliers, centre) for outliers, centre in previous],
        ),
        new=SegmentsToMatch(
            outliers=[outliers for outliers, _ in new],
            centres=[None if outliers else list(centre) for outliers, centre in new],
        ),
    )


def _pairs_by_members(
    counts: NDArray[np.float64], same_kind: NDArray[np.bool_]
) -> dict[int, tuple[int, str]]:
    from scipy.optimize import linear_sum_assignment

    jaccard = _jaccard(counts) * same_kind
    rows, columns = linear_sum_assignment(jaccard, maximize=True)
    return {
        int(j): (int(i), "members")
        for i, j in zip(rows, columns, strict=True)
        if jaccard[i, j] >= MIN_JACCARD
    }


def _jaccard(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    """|A ∩ B| / |A ∪ B| for every pair of segments, counting customers in both runs."""
    union = counts.sum(axis=1, keepdims=True) + counts.sum(axis=0, keepdims=True) - counts
    return np.divide(counts, union, out=np.zeros_like(counts), where=union > 0)


def _pairs_by_centres(
    previous: SegmentsToMatch,
    new: SegmentsToMatch,
    same_kind: NDArray[np.bool_],
    *,
    taken: dict[int, tuple[int, str]],
) -> dict[int, tuple[int, str]]:
    """Unmatched new segments to the nearest unmatched earlier ones, when close enough."""
    free_previous = set(range(len(previous.outliers))) - {i for i, _ in taken.values()}
    pairs: dict[int, tuple[int, str]] = {}
    for j in range(len(new.outliers)):
        if j in taken or new.centres[j] is None:
            continue
        distances = {
            i: float(np.linalg.norm(np.subtract(previous.centres[i], new.centres[j])))
            for i in free_previous
            if previous.centres[i] is not None and same_kind[i, j]
        }
        nearest = min(distances, key=distances.__getitem__, default=None)
        if nearest is not None and distances[nearest] <= MAX_CENTROID_DISTANCE:
            pairs[j] = (nearest, "centroid")
            free_previous.discard(nearest)
    return pairs
