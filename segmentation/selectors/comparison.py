"""Two or more runs side by side: their quality, how far they agree, who went where, which to activate.

Agreement is counted in SQL (customers by their segment in one run and in the other), so comparing
runs of a million customers reads a few dozen rows, never the assignments themselves.
"""

from dataclasses import dataclass
from itertools import combinations

from django.core.exceptions import ValidationError

from segmentation import engine_adapter
from segmentation.models import Segment, SegmentationRun
from segmentation.selectors.overlap import segment_overlap
from segmentation.selectors.segments import run_segments

MAX_COMPARED_RUNS = 4
MOVES_SHOWN = 5


@dataclass(frozen=True)
class Move:
    """Customers in one segment of the first run and a differently named one of the second."""

    source: Segment
    target: Segment
    customers: int


@dataclass(frozen=True)
class PairAgreement:
    """How two runs group the customers they share: the adjusted Rand index and the contingency
    table (``counts[i][j]``: customers in the first run's i-th segment and the second's j-th)."""

    first: SegmentationRun
    second: SegmentationRun
    agreement: float
    shared_customers: int
    rows: list[Segment]
    columns: list[Segment]
    counts: list[list[int]]
    moves: list[Move]

    def table(self) -> list[tuple[Segment, list[int]]]:
        return list(zip(self.rows, self.counts, strict=True))


@dataclass(frozen=True)
class RunComparison:
    runs: list[SegmentationRun]
    segments: dict[int, list[Segment]]
    pairs: list[PairAgreement]
    recommended: SegmentationRun
    reason: str
    same_features: bool


def runs_comparison(*, run_ids: list[int]) -> RunComparison:
    """Compare the succeeded runs ``run_ids`` (two to MAX_COMPARED_RUNS); ValidationError saying
    what is wrong with the choice otherwise."""
    runs = _chosen_runs(run_ids)
    segments = {run.pk: run_segments(run=run) for run in runs}
    recommended_id, reason = engine_adapter.run_to_activate(
        standings=[_standing(run, segments[run.pk]) for run in runs]
    )
    return RunComparison(
        runs=runs,
        segments=segments,
        pairs=[_pair(first, second, segments) for first, second in combinations(runs, 2)],
        recommended=next(run for run in runs if run.pk == recommended_id),
        reason=reason,
        same_features=len({tuple(sorted(run.features)) for run in runs}) == 1,
    )


def _chosen_runs(run_ids: list[int]) -> list[SegmentationRun]:
    unique_ids = list(dict.fromkeys(run_ids))
    if not 2 <= len(unique_ids) <= MAX_COMPARED_RUNS:
        raise ValidationError(f"Choose from 2 to {MAX_COMPARED_RUNS} different runs to compare.")
    possible_ids = [run_id for run_id in unique_ids if 0 < run_id < 2**63]
    runs = {run.pk: run for run in SegmentationRun.objects.filter(pk__in=possible_ids)}
    missing = [str(run_id) for run_id in unique_ids if run_id not in runs]
    if missing:
        raise ValidationError(f"No run {', '.join(missing)}.")
    unfinished = [str(run.pk) for run in runs.values() if run.status != SegmentationRun.Status.SUCCEEDED]
    if unfinished:
        raise ValidationError(
            f"Only succeeded runs can be compared; run {', '.join(unfinished)} has no segments."
        )
    return [runs[run_id] for run_id in sorted(unique_ids)]


def _standing(run: SegmentationRun, segments: list[Segment]) -> dict:
    quality = run.quality or {}
    return {
        "run_id": run.pk,
        "has_structure": run.has_structure,
        "doubtful_segments": sum(1 for segment in segments if segment.cautions),
        "stability": quality.get("stability", {}).get("overall_ari"),
        "silhouette": run.silhouette,
    }


def _pair(
    first: SegmentationRun, second: SegmentationRun, segments: dict[int, list[Segment]]
) -> PairAgreement:
    rows, columns = segments[first.pk], segments[second.pk]
    counted = segment_overlap(first=first, second=second)
    counts = [[counted.get((row.pk, column.pk), 0) for column in columns] for row in rows]
    return PairAgreement(
        first=first,
        second=second,
        agreement=engine_adapter.table_agreement(table=counts) if counted else 0.0,
        shared_customers=sum(counted.values()),
        rows=rows,
        columns=columns,
        counts=counts,
        moves=_largest_moves(rows, columns, counts),
    )


def _largest_moves(rows: list[Segment], columns: list[Segment], counts: list[list[int]]) -> list[Move]:
    """The largest groups of customers whose segment is named differently in the second run."""
    moves = [
        Move(source=row, target=column, customers=count)
        for row, row_counts in zip(rows, counts, strict=True)
        for column, count in zip(columns, row_counts, strict=True)
        if count and row.name != column.name
    ]
    return sorted(moves, key=lambda move: -move.customers)[:MOVES_SHOWN]
