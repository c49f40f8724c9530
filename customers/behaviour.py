"""Computing every customer's behaviour features from their purchases, in one set-based statement.

As of one moment, the end of the as-of day (setting ``BEHAVIOUR_AS_OF``, a date; by default
the day of the latest purchase in the book), counting only purchases before it:

- ``recency_days``: whole days since the last purchase;
- ``frequency``: distinct purchases within the window (``BEHAVIOUR_WINDOW_DAYS`` days up to it);
- ``monetary``: net spend within the window (refunds subtract);
- ``avg_basket``: monetary ÷ frequency (0 when no purchase falls in the window);
- ``tenure_days``: whole days since the first purchase.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone

from customers.models import CustomerBehaviour, Purchase

_AGGREGATES = "purchase_aggregates"

behaviour_refreshed = Signal()
"""Sent inside the refresh's transaction once every customer's behaviour is recomputed, so that
apps built on it (scores, say) recompute theirs in the same transaction. No arguments."""


@transaction.atomic
def behaviour_refresh() -> int:
    """Recompute the behaviour of every customer with purchases; return how many have some."""
    CustomerBehaviour.objects.all().delete()
    as_of = _as_of_moment()
    if as_of is None:
        behaviour_refreshed.send(sender=CustomerBehaviour)
        return 0
    window_start = as_of - timedelta(days=settings.BEHAVIOUR_WINDOW_DAYS)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        parameters = {
            "as_of": adapt(as_of),
            "window_start": adapt(window_start),
            "window_days": settings.BEHAVIOUR_WINDOW_DAYS,
        }
        cursor.execute(_refresh_statement(), parameters)
        count = cursor.rowcount
    behaviour_refreshed.send(sender=CustomerBehaviour)
    return count


def _as_of_moment() -> datetime | None:
    """The end of the as-of day in the portal's time zone; None when there are no purchases."""
    day = settings.BEHAVIOUR_AS_OF
    if day is None:
        latest = Purchase.objects.aggregate(latest=Max("purchased_at"))["latest"]
        if latest is None:
            return None
        day = timezone.localtime(latest).date()
    return _end_of(day)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _days_before_as_of(moment: str) -> str:
    """Calendar days from ``moment`` (an SQL expression) to the as-of day: 0 on the day itself.

    The as-of parameter is the end of that day, so it is the whole days the gap spans, less one.
    """
    if connection.vendor == "postgresql":
        return f"(CEIL(EXTRACT(EPOCH FROM (%(as_of)s - {moment})) / 86400) - 1)"
    gap = f"(julianday(%(as_of)s) - julianday({moment}))"
    return f"(CAST({gap} AS INTEGER) + ({gap} > CAST({gap} AS INTEGER)) - 1)"  # SQLite has no CEIL


def _refresh_statement() -> str:
    purchases = Purchase._meta.db_table
    in_window = "p.purchased_at >= %(window_start)s"
    return (
        f"INSERT INTO {CustomerBehaviour._meta.db_table} (customer_id, recency_days, frequency, monetary, "
        "avg_basket, tenure_days, first_purchase_at, last_purchase_at, as_of, window_days) "
        f"SELECT customer_id, {_days_before_as_of('last_at')}, frequency, monetary, "
        "CASE WHEN frequency > 0 THEN ROUND(monetary * 1.0 / frequency, 2) ELSE 0 END, "
        f"{_days_before_as_of('first_at')}, first_at, last_at, %(as_of)s, %(window_days)s FROM ("
        "SELECT p.customer_id AS customer_id, "
        "MIN(p.purchased_at) AS first_at, MAX(p.purchased_at) AS last_at, "
        f"COUNT(DISTINCT CASE WHEN {in_window} THEN p.purchase_id END) AS frequency, "
        f"COALESCE(SUM(CASE WHEN {in_window} THEN p.amount END), 0) AS monetary "
        f"FROM {purchases} AS p WHERE p.purchased_at < %(as_of)s GROUP BY p.customer_id) AS {_AGGREGATES}"
    )
