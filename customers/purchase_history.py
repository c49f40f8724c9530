"""What a customer bought, as the customer page shows it: summary facts, net spend per calendar
month, and the purchases newest first, a page at a time.

Pure reads. Every figure is added up by the database (GROUP BY, window functions), so a
customer with thousands of receipt lines costs four small queries, never a loop over the lines
in Python. "Net" means that refunds (negative lines) subtract. Months are calendar months in
the current time zone (settings ``TIME_ZONE``), the one the pages show dates in.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import formats, timezone

from core.pagination import KeysetPage, keyset_page
from customers.models import Customer, Purchase

PURCHASES_PER_PAGE = 20
CHART_MONTHS = 24
"""The chart shows every month from the first purchase to the last, at most this many (the latest)."""


@dataclass(frozen=True)
class PurchaseSummary:
    purchase_count: int
    first_purchased_at: datetime
    last_purchased_at: datetime
    net_total: Decimal


@dataclass(frozen=True)
class MonthSpend:
    month: datetime  # midnight on the 1st, in the current time zone
    net_amount: Decimal


@dataclass(frozen=True)
class PurchaseRow:
    """One purchase: its receipt lines added up. Its date and store are those of its first line."""

    purchase_id: str
    purchased_at: datetime
    line_count: int
    net_amount: Decimal
    store: str


@dataclass(frozen=True)
class PurchaseHistory:
    summary: PurchaseSummary
    months: list[MonthSpend]
    page: KeysetPage  # items are PurchaseRow

    @property
    def chart_capped(self) -> bool:
        """Whether purchases older than the chart's first month exist."""
        return _month_start(self.summary.first_purchased_at) < self.months[0].month

    @property
    def chart_data(self) -> dict:
        """The monthly chart's data, for ``json_script`` (static/js/purchase-history.js draws it)."""
        return {
            "labels": [formats.date_format(spend.month, "M Y") for spend in self.months],
            "net": [float(spend.net_amount) for spend in self.months],
        }


def purchase_history(
    *, customer: Customer, after: int | None = None, before: int | None = None
) -> PurchaseHistory | None:
    """Everything the customer page shows of the customer's purchases; None when there are none.

    ``after`` / ``before`` are the page cursors of ``purchase_page``.
    """
    summary = purchase_summary(customer=customer)
    if summary is None:
        return None
    months = purchase_monthly_spend(
        customer=customer,
        first_purchased_at=summary.first_purchased_at,
        last_purchased_at=summary.last_purchased_at,
    )
    return PurchaseHistory(
        summary=summary, months=months, page=purchase_page(customer=customer, after=after, before=before)
    )


def purchase_summary(*, customer: Customer) -> PurchaseSummary | None:
    """How many purchases (distinct purchase IDs), the first and last date, the net spend; None
    without purchases."""
    facts = customer.purchases.aggregate(
        purchase_count=Count("purchase_id", distinct=True),
        first_purchased_at=Min("purchased_at"),
        last_purchased_at=Max("purchased_at"),
        net_total=Sum("amount"),
    )
    return PurchaseSummary(**facts) if facts["purchase_count"] else None


def purchase_monthly_spend(
    *,
    customer: Customer,
    first_purchased_at: datetime,
    last_purchased_at: datetime,
    months: int = CHART_MONTHS,
) -> list[MonthSpend]:
    """Net spend in every calendar month from the first purchase's to the last's, at most the
    latest ``months`` of them, oldest first.

    A month without purchases is listed with 0, so that gaps show as gaps on the chart.
    """
    last_month = _month_start(last_purchased_at)
    first_month = max(_month_start(first_purchased_at), _months_before(last_month, months - 1))
    totals = (
        customer.purchases.filter(purchased_at__gte=first_month)
        .annotate(month=TruncMonth("purchased_at"))  # in the current time zone
        .values("month")
        .annotate(net_amount=Sum("amount"))
        .order_by()  # Purchase's default ordering must not join the GROUP BY
    )
    net_by_month = {_month_number(row["month"]): row["net_amount"] for row in totals}
    return [
        MonthSpend(month=month, net_amount=net_by_month.get(_month_number(month), Decimal("0.00")))
        for month in _month_range(first_month, last_month)
    ]


def purchase_page(
    *,
    customer: Customer,
    after: int | None = None,
    before: int | None = None,
    size: int = PURCHASES_PER_PAGE,
) -> KeysetPage:
    """One page of the customer's purchases, newest first, as ``PurchaseRow`` items.

    ``keyset_page`` seeks on one ascending integer, and a purchase has none that orders it
    newest first (line ids follow import order, not purchase dates). The key is therefore the
    purchase's position in the customer's history, newest = 1, numbered by the database
    (ROW_NUMBER over each purchase's first line). Caveat: unlike an id, a position moves when
    purchases of this customer are imported between two page loads; a purchase may then show
    twice or be skipped. Cost grows with the customer's purchases, not with the table.
    """
    first_lines = keyset_page(_first_lines(customer), key="position", after=after, before=before, size=size)
    totals = _totals_by_purchase(customer, [line.purchase_id for line in first_lines.items])
    rows = [
        PurchaseRow(
            purchase_id=line.purchase_id,
            purchased_at=line.purchased_at,
            line_count=totals[line.purchase_id]["line_count"],
            net_amount=totals[line.purchase_id]["net_amount"],
            store=line.store,
        )
        for line in first_lines.items
    ]
    return replace(first_lines, items=rows)


def _first_lines(customer: Customer) -> QuerySet:
    """The first line of each of the customer's purchases, numbered newest first as ``position``.

    "First" is the lowest line number rather than line 1, so a purchase whose lines were
    written by other means than the import still shows.
    """
    earlier_line = Purchase.objects.filter(purchase_id=OuterRef("purchase_id"), line__lt=OuterRef("line"))
    return customer.purchases.filter(~Exists(earlier_line)).annotate(
        position=Window(RowNumber(), order_by=[F("purchased_at").desc(), F("purchase_id").desc()])
    )


def _totals_by_purchase(customer: Customer, purchase_ids: list[str]) -> dict[str, dict]:
    totals = (
        customer.purchases.filter(purchase_id__in=purchase_ids)
        .values("purchase_id")
        .annotate(line_count=Count("pk"), net_amount=Sum("amount"))
        .order_by()
    )
    return {row["purchase_id"]: row for row in totals}


def _month_start(moment: datetime) -> datetime:
    """Midnight on the 1st of ``moment``'s month, in the current time zone."""
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime(local.year, local.month, 1))


def _month_number(month: datetime) -> int:
    """Months since year 0, so that month arithmetic is integer arithmetic."""
    return month.year * 12 + month.month - 1


def _month_of_number(number: int) -> datetime:
    year, month_index = divmod(number, 12)
    return timezone.make_aware(datetime(year, month_index + 1, 1))


def _months_before(month: datetime, count: int) -> datetime:
    return _month_of_number(_month_number(month) - count)


def _month_range(first: datetime, last: datetime) -> list[datetime]:
    """Every month from ``first`` to ``last``, both included."""
    return [_month_of_number(number) for number in range(_month_number(first), _month_number(last) + 1)]
