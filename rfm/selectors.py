"""Reads of RFM: the R × F grid with each segment's totals, members and their export rows, a
customer's scores, and which score combinations the rules leave without a segment."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from customers.models import Customer, CustomerBehaviour, Purchase
from rfm.models import SCORES, CustomerRfm, RfmSegment
from rfm.placement import placement_query

EXPORT_COLUMNS = [
    "customer_id", "segment", "recency_score", "frequency_score", "monetary_score",
    "recency_days", "frequency", "monetary",
]  # fmt: skip
_EXPORT_FIELDS = [
    "customer__external_id", "segment__name", "recency_score", "frequency_score", "monetary_score",
    "customer__behaviour__recency_days", "customer__behaviour__frequency", "customer__behaviour__monetary",
]  # fmt: skip
_MONETARY = "customer__behaviour__monetary"
Scores = tuple[int, int, int]  # R, F, M


@dataclass(frozen=True)
class GridCell:
    """Customers with one R and one F score. ``segment`` is the one the rules name for them; when
    the rules also look at M (``split_by_monetary``), the one most of them are in."""

    recency_score: int
    frequency_score: int
    customers: int
    revenue: Decimal
    segment: RfmSegment | None
    split_by_monetary: bool


@dataclass(frozen=True)
class SegmentTotal:
    """A segment (None: customers no rule holds for) with its customers and revenue, and their
    shares of all scored customers' (None when there is nothing to share)."""

    segment: RfmSegment | None
    customers: int
    revenue: Decimal
    customer_share: float | None
    revenue_share: float | None


@dataclass(frozen=True)
class RfmOverview:
    grid: list[list[GridCell]]  # rows R 5 → 1, columns F 1 → 5
    segments: list[SegmentTotal]  # largest revenue first; customers in no segment last, when any
    customers: int
    revenue: Decimal
    as_of_day: date | None  # purchases up to the end of this day count
    window_days: int | None
    has_purchases: bool  # some customer has behaviour features (so scores can be computed)

    @property
    def split_by_monetary(self) -> bool:
        """Whether the rules split any cell by the monetary score."""
        return any(cell.split_by_monetary for row in self.grid for cell in row)


def rfm_placements() -> dict[Scores, int]:
    """The id of the segment each (R, F, M) belongs to; a combination no rule holds for is absent."""
    with connection.cursor() as cursor:
        cursor.execute(placement_query())
        return {(r, f, m): segment_id for r, f, m, segment_id in cursor.fetchall() if segment_id is not None}


def _named_for_cell(placements: dict[Scores, int], r: int, f: int) -> set[int | None]:
    """The segments (ids; None for no segment) the rules give the cell R, F, over every M."""
    return {placements.get((r, f, m)) for m in SCORES}


def rfm_overview() -> RfmOverview:
    """The R × F grid with customers and revenue (net spend in the window) per cell and per segment."""
    segments = list(RfmSegment.objects.all())
    placements = rfm_placements()
    totals = (
        CustomerRfm.objects.values("recency_score", "frequency_score", "segment_id")
        .annotate(customers=Count("pk"), revenue=Sum(_MONETARY))
        .order_by()
    )
    cells: dict[tuple[int, int], dict[int | None, tuple[int, Decimal]]] = defaultdict(dict)
    for row in totals:
        key = (row["recency_score"], row["frequency_score"])
        cells[key][row["segment_id"]] = (row["customers"], row["revenue"] or Decimal(0))
    by_id = {segment.pk: segment for segment in segments}
    grid = [[_grid_cell(by_id, placements, r, f, cells[(r, f)]) for f in SCORES] for r in reversed(SCORES)]
    customers = sum(cell.customers for row in grid for cell in row)
    revenue = sum((cell.revenue for row in grid for cell in row), Decimal(0))
    behaviour = CustomerBehaviour.objects.order_by().values("as_of", "window_days").first()
    return RfmOverview(
        grid=grid,
        segments=_segment_totals(segments, cells.values(), customers, revenue),
        customers=customers,
        revenue=revenue,
        as_of_day=_day_before(behaviour["as_of"]) if behaviour else None,
        window_days=behaviour["window_days"] if behaviour else None,
        has_purchases=behaviour is not None,
    )


def _day_before(moment: datetime) -> date:
    """The day that ends at ``moment`` (behaviour's as-of moment is the end of the as-of day)."""
    return (timezone.localtime(moment) - timedelta(microseconds=1)).date()


def _grid_cell(
    by_id: dict[int, RfmSegment], placements: dict[Scores, int], r: int, f: int, by_segment: dict
) -> GridCell:
    named = _named_for_cell(placements, r, f)
    if len(named) == 1:
        segment = by_id.get(next(iter(named)))
    else:  # the rules split this cell by M: show the segment most of its customers are in
        largest = max(by_segment, key=lambda segment_id: by_segment[segment_id][0], default=None)
        segment = by_id.get(largest)
    return GridCell(
        recency_score=r,
        frequency_score=f,
        customers=sum(count for count, _ in by_segment.values()),
        revenue=sum((revenue for _, revenue in by_segment.values()), Decimal(0)),
        segment=segment,
        split_by_monetary=len(named) > 1,
    )


def _segment_totals(
    segments: list[RfmSegment], cells: Iterable[dict], customers: int, revenue: Decimal
) -> list[SegmentTotal]:
    counts: dict[int | None, int] = defaultdict(int)
    revenues: dict[int | None, Decimal] = defaultdict(Decimal)
    for by_segment in cells:
        for segment_id, (count, cell_revenue) in by_segment.items():
            counts[segment_id] += count
            revenues[segment_id] += cell_revenue

    def total(segment: RfmSegment | None) -> SegmentTotal:
        key = segment.pk if segment else None
        return SegmentTotal(
            segment=segment,
            customers=counts[key],
            revenue=revenues[key],
            customer_share=counts[key] / customers if customers else None,
            revenue_share=float(revenues[key] / revenue) if revenue > 0 else None,
        )

    # Largest revenue first (sorted is stable: equal ones stay in priority order).
    totals = sorted((total(segment) for segment in segments), key=lambda one: (-one.revenue, -one.customers))
    return [*totals, total(None)] if counts.get(None) else totals


def rfm_members() -> QuerySet[CustomerRfm]:
    """Scored customers with their behaviour and segment; callers page them by ``customer_id``."""
    return CustomerRfm.objects.select_related("customer", "customer__behaviour", "segment")


def rfm_segment_members(*, segment: RfmSegment) -> QuerySet[CustomerRfm]:
    return rfm_members().filter(segment=segment)


def rfm_cell_members(*, recency_score: int, frequency_score: int) -> QuerySet[CustomerRfm]:
    return rfm_members().filter(recency_score=recency_score, frequency_score=frequency_score)


def rfm_members_totals(*, members: QuerySet[CustomerRfm]) -> tuple[int, Decimal]:
    """How many customers ``members`` holds and their revenue."""
    totals = members.order_by().aggregate(customers=Count("pk"), revenue=Sum(_MONETARY))
    return totals["customers"], totals["revenue"] or Decimal(0)


def rfm_export_rows(*, members: QuerySet[CustomerRfm]) -> Iterator[tuple]:
    """Each member's row of ``EXPORT_COLUMNS``, by customer id, streamed in chunks."""
    return members.order_by("customer_id").values_list(*_EXPORT_FIELDS).iterator(chunk_size=5_000)


@dataclass(frozen=True)
class CustomerRfmSummary:
    rfm: CustomerRfm | None  # None: not scored
    has_purchases: bool  # purchases stored (scored or not yet: the refresh follows every import)


def customer_rfm(*, customer: Customer) -> CustomerRfmSummary:
    """The customer's scores and segment, and whether they have purchases, in one query."""
    row = (
        Customer.objects.filter(pk=customer.pk)
        .select_related("rfm__segment")
        .annotate(has_purchases=Exists(Purchase.objects.filter(customer=OuterRef("pk"))))
        .get()
    )
    return CustomerRfmSummary(rfm=getattr(row, "rfm", None), has_purchases=row.has_purchases)


def rfm_segments_with_totals() -> QuerySet[RfmSegment]:
    """Segments in priority order, each with ``customers`` and ``revenue`` (0 when empty)."""
    # An explicit order: Meta.ordering does not apply to a query that groups.
    return RfmSegment.objects.annotate(
        customers=Count("members"), revenue=Sum(f"members__{_MONETARY}", default=Decimal(0))
    ).order_by("priority")


def rfm_cell_segments(*, recency_score: int, frequency_score: int) -> list[RfmSegment]:
    """The segments the rules name for customers with these R and F scores (more than one when
    the rules also look at M), in priority order."""
    named = _named_for_cell(rfm_placements(), recency_score, frequency_score)
    return list(RfmSegment.objects.filter(pk__in=named - {None}))


def rfm_combinations_without_segment() -> list[Scores]:
    """Every (R, F, M) that no rule holds for: customers with those scores would have no segment."""
    placements = rfm_placements()
    return [(r, f, m) for r in SCORES for f in SCORES for m in SCORES if (r, f, m) not in placements]
