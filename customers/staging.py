"""The bulk path into the customer book.

Validated rows go into a temporary staging table (COPY on PostgreSQL, large-batch inserts
elsewhere), and two set-based statements merge them into ``customers_customer``: an UPDATE
for customers whose values changed and an INSERT for new ones. Nothing is ever saved one
row at a time. Staging may happen outside a transaction (the table is private to the
connection); the merge belongs inside ``transaction.atomic()``.
"""

from datetime import datetime

import pandas as pd
from django.db import connection

from core.bulk import TemporaryTable, insert_frame
from customers.importing.reading import ROW_COLUMN
from customers.models import Customer, CustomerAttributeValue

_TABLE = "customer_import_staging"
# Merges into the customer book take this PostgreSQL advisory lock (any number; it names the
# lock), so two imports of overlapping new customers run one after the other instead of
# failing on the unique customer ID. SQLite's IMMEDIATE transactions serialize them already.
_MERGE_LOCK = 51_704_221
_VALUE_COLUMNS = ("gender", "age", "annual_income", "spending_score")
_COLUMNS = (ROW_COLUMN, "external_id", *_VALUE_COLUMNS)


class CustomerStaging(TemporaryTable):
    """A temporary table of validated customer rows, merged into the book in one go."""

    name = _TABLE
    definition = (
        f"{ROW_COLUMN} bigint NOT NULL, external_id varchar(64) NOT NULL, gender varchar(6) NOT NULL, "
        "age integer NOT NULL, annual_income double precision NOT NULL, spending_score integer NOT NULL"
    )

    def append(self, frame: pd.DataFrame) -> None:
        """Add rows (columns: row, external_id, gender, age, annual_income, spending_score)."""
        insert_frame(table=_TABLE, frame=frame.loc[:, list(_COLUMNS)])

    def prepare_for_merge(self) -> None:
        self.index_and_analyse("external_id")

    def repeated_ids(self, *, limit: int) -> tuple[int, list[tuple[int, str, int]]]:
        """Rows whose customer ID already appeared on an earlier row of the file.

        Returns the number of such rows and up to ``limit`` of them as
        (row, customer ID, first row with that ID), in file order.
        """
        repeats = (
            f"FROM {_TABLE} AS s JOIN (SELECT external_id, MIN({ROW_COLUMN}) AS first_row "
            f"FROM {_TABLE} GROUP BY external_id HAVING COUNT(*) > 1) AS f "
            f"ON f.external_id = s.external_id WHERE s.{ROW_COLUMN} <> f.first_row"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {repeats}")
            (count,) = cursor.fetchone()
            if not count:
                return 0, []
            cursor.execute(
                f"SELECT s.{ROW_COLUMN}, s.external_id, f.first_row {repeats} "
                f"ORDER BY s.{ROW_COLUMN} LIMIT %s",
                [limit],
            )
            return count, cursor.fetchall()

    def discard_repeats(self) -> None:
        """Keep only the first row of each customer ID."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {_TABLE} WHERE {ROW_COLUMN} NOT IN "
                f"(SELECT MIN({ROW_COLUMN}) FROM {_TABLE} GROUP BY external_id)"
            )

    def merge(self, *, now: datetime) -> tuple[int, int]:
        """Upsert the staged rows by customer ID. Returns (added, updated)."""
        table = Customer._meta.db_table
        timestamp = connection.ops.adapt_datetimefield_value(now)
        assignments = ", ".join(f"{column} = s.{column}" for column in _VALUE_COLUMNS)
        changed = " OR ".join(f"c.{column} <> s.{column}" for column in _VALUE_COLUMNS)
        columns = ", ".join(("external_id", *_VALUE_COLUMNS))
        selected = ", ".join(f"s.{column}" for column in ("external_id", *_VALUE_COLUMNS))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MERGE_LOCK])
                # Lets the ordered INSERT below sort a million rows in memory, not on disk.
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                f"UPDATE {table} AS c SET {assignments}, updated_at = %s FROM {_TABLE} AS s "
                f"WHERE c.external_id = s.external_id AND ({changed})",
                [timestamp],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {table} ({columns}, created_at, updated_at) "
                f"SELECT {selected}, %s, %s FROM {_TABLE} AS s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {table} AS c WHERE c.external_id = s.external_id) "
                f"ORDER BY s.{ROW_COLUMN}",
                [timestamp, timestamp],
            )
            added = cursor.rowcount
        return added, updated


class AttributeValueStaging(TemporaryTable):
    """A temporary table of the declared attributes' cells: one row per customer row and attribute
    column, its value NULL where the cell was blank. Merged after the customers themselves."""

    name = "customer_attribute_staging"
    definition = (
        f"{ROW_COLUMN} bigint NOT NULL, external_id varchar(64) NOT NULL, attribute_id bigint NOT NULL, "
        "value double precision"
    )

    def append(self, frame: pd.DataFrame, *, attribute_ids: dict[str, int]) -> None:
        """Add the attribute cells of ``frame`` (customer rows; one column per attribute field)."""
        if not attribute_ids or frame.empty:
            return
        cells = frame.melt(
            id_vars=[ROW_COLUMN, "external_id"],
            value_vars=list(attribute_ids),
            var_name="field",
            value_name="value",
        )
        cells["attribute_id"] = cells["field"].map(attribute_ids)
        insert_frame(
            table=self.name, frame=cells.loc[:, [ROW_COLUMN, "external_id", "attribute_id", "value"]]
        )

    def merge(self) -> int:
        """Replace the stored values of every (customer, attribute) the file has a cell for, keeping
        only the rows the customer merge kept (the first of repeated customer IDs). Returns how many
        values are stored now."""
        values, customers = CustomerAttributeValue._meta.db_table, Customer._meta.db_table
        kept = f"s.{ROW_COLUMN} IN (SELECT {ROW_COLUMN} FROM {_TABLE})"
        cells = f"FROM {self.name} AS s JOIN {customers} AS c ON c.external_id = s.external_id WHERE {kept}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {values} WHERE EXISTS (SELECT 1 {cells} AND c.id = {values}.customer_id "
                f"AND s.attribute_id = {values}.attribute_id)"
            )
            cursor.execute(
                f"INSERT INTO {values} (customer_id, attribute_id, value) "
                f"SELECT c.id, s.attribute_id, s.value {cells} AND s.value IS NOT NULL"
            )
            return cursor.rowcount
