"""The RFM use cases: scoring every customer with purchases and naming their segment, in SQL.

Scores are quintiles over the customers that have behaviour features (a row in
``CustomerBehaviour``), computed with the window function ``NTILE(5)`` (PostgreSQL; SQLite
3.25 and later):

- R from ``recency_days``: the fewest days since the last purchase score 5;
- F from ``frequency``: the most purchases in the window score 5;
- M from ``monetary``: the highest net spend in the window scores 5.

Ties: customers are ordered from the worst value to the best and, among equal values, by
customer id descending, so the customer added to the book earlier (the smaller id) ranks
higher. ``NTILE`` then cuts that order into five groups whose sizes differ by at most one (the
lower scores take the extra customers), so equal values may straddle two adjacent scores, but
always the same way for the same data. Scores are relative: with fewer than five customers the
top scores go unused.

Each customer then gets the first ``RfmSegment`` by priority whose rule holds for their three
scores (``rfm.placement``); none (NULL) when no rule does. Changing the rules recomputes the
same way: the scores come out as before, and only the segments that changed are written.
"""

from django.db import connection, transaction
from django.db.models import QuerySet

from customers.models import CustomerBehaviour
from rfm.models import AXES, CustomerRfm, RfmSegment
from rfm.placement import first_matching_segment_sql

QUANTILES = 5
# The order of each score's NTILE: from the worst value to the best, then the tie-break.
_WORST_FIRST = {
    "recency": "recency_days DESC",
    "frequency": "frequency ASC",
    "monetary": "monetary ASC",
}
_TIE_BREAK = "customer_id DESC"
# In-memory sorts for the three rankings of a large book (PostgreSQL; this transaction only).
_SORT_MEMORY = "64MB"


def _scores_query() -> str:
    """SQL selecting every customer with behaviour features, their three scores and segment."""
    tiles = ", ".join(
        f"NTILE({QUANTILES}) OVER (ORDER BY {_WORST_FIRST[axis]}, {_TIE_BREAK}) AS {axis}_score"
        for axis in AXES
    )
    return (
        f"SELECT scores.customer_id, {', '.join(f'scores.{axis}_score' for axis in AXES)}, "
        f"{first_matching_segment_sql('scores')} "
        f"FROM (SELECT customer_id, {tiles} FROM {CustomerBehaviour._meta.db_table}) AS scores"
    )


def _upsert_statement() -> str:
    """Insert new customers' scores and update changed ones; a row whose scores and segment are
    unchanged is not written at all (most of them, after an import of a few new purchases)."""
    table = CustomerRfm._meta.db_table
    columns = [f"{axis}_score" for axis in AXES] + ["segment_id"]
    null_safe_differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"{table}.{column} {null_safe_differs} excluded.{column}" for column in columns)
    # "WHERE true": SQLite needs it to read ON CONFLICT as the upsert's, not the join's.
    return (
        f"INSERT INTO {table} (customer_id, {', '.join(columns)}) {_scores_query()} WHERE true "
        f"ON CONFLICT (customer_id) DO UPDATE SET "
        f"{', '.join(f'{column} = excluded.{column}' for column in columns)} WHERE {changed}"
    )


def _lock_scores() -> None:
    """One writer of the scores at a time (a refresh from the command and one from an import,
    say); readers carry on. SQLite writes one transaction at a time anyway. Also lets this
    transaction sort in memory (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {CustomerRfm._meta.db_table} IN EXCLUSIVE MODE")
            cursor.execute(f"SET LOCAL work_mem = '{_SORT_MEMORY}'")


@transaction.atomic
def rfm_refresh() -> int:
    """Recompute every customer's R, F and M scores and segment from their behaviour features,
    dropping those of customers who no longer have any; return how many customers are scored."""
    _lock_scores()
    table, behaviour = CustomerRfm._meta.db_table, CustomerBehaviour._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE NOT EXISTS "
            f"(SELECT 1 FROM {behaviour} AS behaviour WHERE behaviour.customer_id = {table}.customer_id)"
        )
        cursor.execute(_upsert_statement())
    return CustomerRfm.objects.count()


@transaction.atomic
def rfm_segment_save(*, segment: RfmSegment) -> RfmSegment:
    """Check and store a segment's name and rule, then place every customer by the rules as they
    now stand."""
    segment.full_clean()
    segment.save()
    rfm_refresh()
    return segment


@transaction.atomic
def rfm_segments_delete(*, segments: QuerySet[RfmSegment]) -> int:
    """Delete segments, then place their customers by the remaining rules; return how many went."""
    _, deleted = segments.delete()
    rfm_refresh()
    return deleted.get(RfmSegment._meta.label, 0)
