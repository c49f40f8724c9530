"""The bulk path of purchase lines into the book, like ``customers.staging`` for customers.

Checked lines go into a temporary table. What needs the whole file or the book is asked of
that table in SQL: the day order of numeric dates, customers not in the book, dates in the
future, a purchase ID used by two customers. The merge numbers each purchase's lines in file
order and upserts them by (purchase ID, line); lines of a re-imported purchase that the file
no longer has are removed, so importing the same file twice changes nothing.
"""

from datetime import datetime

import pandas as pd
from django.db import connection

from core.bulk import TemporaryTable, datetimes_as_text, insert_frame
from customers.importing.purchase_validation import STAGED_COLUMNS
from customers.importing.reading import ROW_COLUMN
from customers.models import Customer, Purchase

_TABLE = "purchase_import_staging"
_LINES = "purchase_import_lines"
# Merges of purchase lines take this PostgreSQL advisory lock, so two imports of the same
# receipts run one after the other. SQLite's IMMEDIATE transactions serialize them already.
_MERGE_LOCK = 51_704_222
_DATETIME_COLUMNS = ("purchased_at", "day_first_at", "month_first_at")
_VALUE_COLUMNS = ("customer_id", "purchased_at", "amount", "store", "category")

UNKNOWN_CUSTOMER = (
    f"NOT EXISTS (SELECT 1 FROM {Customer._meta.db_table} AS c WHERE c.external_id = s.external_id)"
)
IN_THE_FUTURE = "s.purchased_at > %s"
STORED_FOR_ANOTHER_CUSTOMER = (
    f"EXISTS (SELECT 1 FROM {Purchase._meta.db_table} AS p JOIN {Customer._meta.db_table} AS c "
    "ON c.id = p.customer_id WHERE p.purchase_id = s.purchase_id AND c.external_id <> s.external_id)"
)
SHARED_PURCHASE_ID = (
    f"EXISTS (SELECT 1 FROM {_TABLE} AS o WHERE o.purchase_id = s.purchase_id "
    f"AND o.external_id <> s.external_id AND o.{ROW_COLUMN} < s.{ROW_COLUMN})"
)


class PurchaseStaging(TemporaryTable):
    """A temporary table of checked purchase lines, merged into the book in one go."""

    name = _TABLE

    @property
    def definition(self) -> str:
        moment = "timestamptz" if connection.vendor == "postgresql" else "text"
        return (
            f"{ROW_COLUMN} bigint NOT NULL, external_id varchar(64) NOT NULL, "
            f"purchase_id varchar(64) NOT NULL, purchased_at {moment}, day_first_at {moment}, "
            f"month_first_at {moment}, date_text varchar(1000) NOT NULL, amount numeric(12, 2) NOT NULL, "
            "store varchar(100), category varchar(100)"  # a bulk copy stores an empty cell as NULL
        )

    def append(self, frame: pd.DataFrame) -> None:
        frame = frame.loc[:, list(STAGED_COLUMNS)].copy()
        for column in _DATETIME_COLUMNS:
            text = datetimes_as_text(frame[column])
            frame[column] = text.astype(object).where(text.notna(), None)
        insert_frame(table=_TABLE, frame=frame)

    def prepare(self) -> None:
        self.index_and_analyse("external_id", "purchase_id")

    def numeric_date_example(self) -> str | None:
        """A date still waiting for the file's day order, as written."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT date_text FROM {_TABLE} WHERE purchased_at IS NULL LIMIT 1")
            found = cursor.fetchone()
        return found[0] if found else None

    def read_numeric_dates(self, order: str) -> None:
        """Give every numeric date its reading in the file's day order: "day_first" or "month_first"."""
        column = {"day_first": "day_first_at", "month_first": "month_first_at"}[order]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {_TABLE} SET purchased_at = {column} WHERE purchased_at IS NULL")

    def offending(self, condition: str, value: str, *, params: tuple, limit: int) -> tuple[int, list[tuple]]:
        """Lines meeting ``condition`` (one of the conditions above): how many, and up to ``limit`` of
        them as (row, ``value`` column), in file order."""
        where = f"FROM {_TABLE} AS s WHERE {condition}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {where}", params)
            (count,) = cursor.fetchone()
            if not count:
                return 0, []
            cursor.execute(
                f"SELECT s.{ROW_COLUMN}, s.{value} {where} ORDER BY s.{ROW_COLUMN} LIMIT %s", (*params, limit)
            )
            return count, cursor.fetchall()

    def discard(self, condition: str, *, params: tuple) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {_TABLE} WHERE {ROW_COLUMN} IN "
                f"(SELECT s.{ROW_COLUMN} FROM {_TABLE} AS s WHERE {condition})",
                params,
            )

    def merge(self, *, now: datetime) -> tuple[int, int, int]:
        """Upsert the staged lines by (purchase ID, line). Returns (added, updated, removed)."""
        timestamp = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MERGE_LOCK])
            _number_lines(cursor)
            updated = _update_changed_lines(cursor, timestamp)
            added = _insert_new_lines(cursor, timestamp)
            removed = _remove_dropped_lines(cursor)
            cursor.execute(f"DROP TABLE {_LINES}")
        return added, updated, removed


def _number_lines(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {_LINES}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_LINES} AS SELECT c.id AS customer_id, s.purchase_id, "
        f"ROW_NUMBER() OVER (PARTITION BY s.purchase_id ORDER BY s.{ROW_COLUMN}) AS line, "
        "s.purchased_at, s.amount, COALESCE(s.store, '') AS store, COALESCE(s.category, '') AS category, "
        f"s.{ROW_COLUMN} AS {ROW_COLUMN} "
        f"FROM {_TABLE} AS s JOIN {Customer._meta.db_table} AS c ON c.external_id = s.external_id"
    )
    if connection.vendor != "postgresql":
        cursor.execute(f"CREATE INDEX {_LINES}_purchase ON {_LINES} (purchase_id, line)")
    cursor.execute(f"ANALYZE {_LINES}")


def _update_changed_lines(cursor, timestamp) -> int:
    table = Purchase._meta.db_table
    assignments = ", ".join(f"{column} = l.{column}" for column in _VALUE_COLUMNS)
    changed = " OR ".join(f"p.{column} <> l.{column}" for column in _VALUE_COLUMNS)
    cursor.execute(
        f"UPDATE {table} AS p SET {assignments}, updated_at = %s FROM {_LINES} AS l "
        f"WHERE p.purchase_id = l.purchase_id AND p.line = l.line AND ({changed})",
        [timestamp],
    )
    return cursor.rowcount


def _insert_new_lines(cursor, timestamp) -> int:
    table = Purchase._meta.db_table
    columns = ("purchase_id", "line", *_VALUE_COLUMNS)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}, created_at, updated_at) "
        f"SELECT {', '.join(f'l.{column}' for column in columns)}, %s, %s FROM {_LINES} AS l "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS p "
        "WHERE p.purchase_id = l.purchase_id AND p.line = l.line) "
        f"ORDER BY l.{ROW_COLUMN}",
        [timestamp, timestamp],
    )
    return cursor.rowcount


def _remove_dropped_lines(cursor) -> int:
    """Lines of a re-imported purchase beyond those the file has now."""
    table = Purchase._meta.db_table
    cursor.execute(
        f"DELETE FROM {table} WHERE purchase_id IN (SELECT purchase_id FROM {_LINES}) AND NOT EXISTS "
        f"(SELECT 1 FROM {_LINES} AS l WHERE l.purchase_id = {table}.purchase_id AND l.line = {table}.line)"
    )
    return cursor.rowcount
