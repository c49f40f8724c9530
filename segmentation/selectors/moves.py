"""Following customers from run to run: who moved from which segment to which, which segments
continue which, and one customer's segments over time.

Counts come from ``segment_overlap`` (SQL, a few dozen rows); the customers behind one cell are read
through the first run's key and checked in the second run's, so a cell costs what its first-run
segment holds, never the whole book.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from customers.models import Customer
from segmentation.models import Assignment, Segment, SegmentationRun
from segmentation.selectors.overlap import segment_overlap, segments_matched
from segmentation.selectors.segments import run_segments


@dataclass(frozen=True)
class Cell:
    source: Segment
    target: Segment
    customers: int
    share: float
    """Of the source segment's customers found in the second run, the share in the target."""
    stayed: bool
    """The target continues the source: these customers did not move."""

    @property
    def heat(self) -> int:
        """The share as a whole percentage, for the heat table's shading."""
        return round(self.share * 100)


@dataclass(frozen=True)
class RunMoves:
    """Customers of two runs by their segment in each, and which segment continues which.

    ``continues``: second-run segment id -> the first-run segment it continues (None when new).
    ``vanished``: first-run segments that no second-run segment continues."""

    first: SegmentationRun
    second: SegmentationRun
    rows: list[tuple[Segment, list[Cell]]]
    columns: list[Segment]
    shared_customers: int
    continues: dict[int, Segment | None]
    vanished: list[Segment]

    @property
    def moved_customers(self) -> int:
        return sum(cell.customers for _, cells in self.rows for cell in cells if not cell.stayed)

    @property
    def moved_share(self) -> float:
        return self.moved_customers / self.shared_customers if self.shared_customers else 0.0

    @property
    def kept_shares(self) -> dict[int, float]:
        """Second-run segment id -> the share of its earlier segment's customers (in both runs)
        found in it, for every segment that continues one."""
        return {cell.target.pk: cell.share for _, cells in self.rows for cell in cells if cell.stayed}

    @property
    def continued_count(self) -> int:
        return sum(1 for earlier in self.continues.values() if earlier is not None)


def run_moves(*, first: SegmentationRun, second: SegmentationRun) -> RunMoves:
    """Who went where between ``first`` and ``second`` (two different succeeded runs)."""
    _check_pair(first, second)
    earlier, later = run_segments(run=first), run_segments(run=second)
    counted = segment_overlap(first=first, second=second)
    continues = _continuations(first, second, earlier, later, counted)
    rows = [(source, _cells(source, later, counted, continues)) for source in earlier]
    continued = {segment.pk for segment in continues.values() if segment is not None}
    return RunMoves(
        first=first,
        second=second,
        rows=rows,
        columns=later,
        shared_customers=sum(counted.values()),
        continues=continues,
        vanished=[segment for segment in earlier if segment.pk not in continued],
    )


def _check_pair(first: SegmentationRun, second: SegmentationRun) -> None:
    if first.pk == second.pk:
        raise ValidationError("Choose two different runs to follow customers between.")
    unfinished = [str(run.pk) for run in (first, second) if run.status != SegmentationRun.Status.SUCCEEDED]
    if unfinished:
        raise ValidationError(f"Only succeeded runs have segments; run {', '.join(unfinished)} has none.")


def _cells(
    source: Segment,
    columns: list[Segment],
    counted: dict[tuple[int, int], int],
    continues: dict[int, Segment | None],
) -> list[Cell]:
    counts = [counted.get((source.pk, target.pk), 0) for target in columns]
    total = sum(counts)
    return [
        Cell(
            source=source,
            target=target,
            customers=count,
            share=count / total if total else 0.0,
            stayed=continues[target.pk] == source,
        )
        for target, count in zip(columns, counts, strict=True)
    ]


def _continuations(
    first: SegmentationRun,
    second: SegmentationRun,
    earlier: list[Segment],
    later: list[Segment],
    counted: dict[tuple[int, int], int],
) -> dict[int, Segment | None]:
    """The lineage recorded when ``second`` finished, if it was matched to ``first``; otherwise
    the same matching, made now on the two runs' members."""
    by_id = {segment.pk: segment for segment in earlier}
    if second.matched_to_id == first.pk:
        return {segment.pk: by_id.get(segment.continues_id) for segment in later}
    matches = segments_matched(first=first, second=second, earlier=earlier, later=later, counted=counted)
    return {
        later[match.new].pk: None if match.previous is None else earlier[match.previous] for match in matches
    }


def moved_members(*, source: Segment, target: Segment) -> QuerySet[Assignment]:
    """The first run's assignments (with their customers) of the customers who were in ``source``
    and are in ``target``; callers page them by ``customer_id``."""
    in_target = Assignment.objects.filter(
        run_id=target.run_id, segment_id=target.pk, customer_id=OuterRef("customer_id")
    )
    return (
        Assignment.objects.filter(run_id=source.run_id, segment_id=source.pk)
        .filter(Exists(in_target))
        .select_related("customer")
    )


@dataclass(frozen=True)
class HistoryEntry:
    run: SegmentationRun
    segment: Segment
    moved: bool
    """In a segment of another identity than in the run before."""


def customer_segment_history(*, customer: Customer) -> list[HistoryEntry]:
    """The customer's segment in every succeeded run that has one for them, oldest first."""
    assignments = (
        Assignment.objects.of_customer(customer)
        .filter(run__status=SegmentationRun.Status.SUCCEEDED)
        .select_related("run", "segment", "segment__persona")
        .order_by("run__created_at", "run_id")
    )
    history, previous_identity = [], None
    for assignment in assignments:
        identity = assignment.segment.identity
        moved = previous_identity is not None and identity != previous_identity
        history.append(HistoryEntry(run=assignment.run, segment=assignment.segment, moved=moved))
        previous_identity = identity
    return history
