"""Moving many rows between pandas and the database without one ORM object per row.

On PostgreSQL rows go in by COPY and come out by COPY (``read_frame``) or, faster, as one
aggregated value per column (``read_columns``); other databases (SQLite) get large-batch
``executemany`` and a plain fetch. Callers name tables and columns from their models'
``_meta``, never from user input.
"""

import io
import struct
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType

import numpy as np
import pandas as pd
import psycopg
from django.db import connection
from pandas.api.extensions import ExtensionArray

INSERT_BATCH_ROWS = 50_000
COPY_CHUNK_ROWS = 1_000_000  # about 45 MB of COPY stream for a run's assignments
# PostgreSQL's binary COPY: a signature, flags and header-extension length, then the tuples
# (a field count, then each field's byte length and big-endian value), then -1.
BINARY_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
BINARY_COPY_TRAILER = struct.pack(">h", -1)
BINARY_TYPES = {"bigint": ">i8", "double": ">f8", "boolean": "u1"}
TEXT_SEPARATOR = "\x1f"  # ASCII's unit separator: read_columns refuses a text value holding it


@dataclass(frozen=True)
class ReadKind:
    """How ``read_columns`` reads one kind of column: the SQL aggregating it into one value, the
    byte order and width of each row's value in it (None for text) and the numpy type it becomes."""

    aggregate: str
    wire: str | None
    dtype: type | str


READ_KINDS = {
    "bigint": ReadKind("string_agg(int8send({}), '')", ">i8", np.int64),
    "smallint": ReadKind("string_agg(int2send({}), '')", ">i2", np.int64),
    "double": ReadKind("string_agg(float8send(COALESCE({}::float8, 'NaN')), '')", ">f8", np.float64),
    "text": ReadKind(f"string_agg(COALESCE({{}}::text, ''), chr({ord(TEXT_SEPARATOR)}))", None, "str"),
}
ArrayLike = np.ndarray | ExtensionArray
TypedColumns = Mapping[str, tuple[str, np.ndarray | int | float | bool]]
"""Column name -> (its type: a key of BINARY_TYPES, its values: one per row, or one for all)."""


def insert_frame(*, table: str, frame: pd.DataFrame) -> None:
    """Insert every row of ``frame``; its column names are the table's column names."""
    if frame.empty:
        return
    columns = ", ".join(frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                _driver_errors_wrapped(),
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
            ):
                copy.write(frame.to_csv(header=False, index=False))
            return
        placeholders = ", ".join(["%s"] * len(frame.columns))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for start in range(0, len(frame), INSERT_BATCH_ROWS):
            batch = frame.iloc[start : start + INSERT_BATCH_ROWS]
            cursor.executemany(sql, batch.itertuples(index=False, name=None))


def insert_columns(*, table: str, rows: int, columns: TypedColumns) -> None:
    """Insert ``rows`` rows given column by column, none NULL. On PostgreSQL they go as one binary
    COPY built straight from the numpy arrays (no text formatting per value), COPY_CHUNK_ROWS rows
    at a time so that the stream never sits whole in memory; elsewhere through ``insert_frame``."""
    if rows == 0:
        return
    if connection.vendor != "postgresql":
        insert_frame(
            table=table,
            frame=pd.DataFrame({name: values for name, (_, values) in columns.items()}, index=range(rows)),
        )
        return
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT binary)"
    with _driver_errors_wrapped(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(BINARY_COPY_HEADER)
        for start in range(0, rows, COPY_CHUNK_ROWS):
            chunk = {
                name: (kind, values[start : start + COPY_CHUNK_ROWS] if np.ndim(values) else values)
                for name, (kind, values) in columns.items()
            }
            copy.write(binary_copy_tuples(rows=min(COPY_CHUNK_ROWS, rows - start), columns=chunk))
        copy.write(BINARY_COPY_TRAILER)


def binary_copy_tuples(*, rows: int, columns: TypedColumns) -> bytes:
    """The rows as PostgreSQL binary COPY tuples (no header or trailer), laid out by a numpy record type."""
    layout = [("fields", ">i2")]
    for name, (kind, _) in columns.items():
        layout += [(f"{name}__length", ">i4"), (name, BINARY_TYPES[kind])]
    tuples = np.zeros(rows, dtype=np.dtype(layout))
    tuples["fields"] = len(columns)
    for name, (kind, values) in columns.items():
        tuples[f"{name}__length"] = np.dtype(BINARY_TYPES[kind]).itemsize
        tuples[name] = values
    return tuples.tobytes()


def read_ids(*, table: str) -> np.ndarray:
    """Every ``id`` in ``table``, ascending, as int64."""
    ids = read_columns(query=f"SELECT id FROM {table} ORDER BY id", columns={"id": "bigint"})
    return ids["id"].to_numpy()


def read_columns(*, query: str, columns: Mapping[str, str]) -> pd.DataFrame:
    """Run ``query`` (no parameters) and return its rows as a DataFrame: one column per entry of
    ``columns``, named by it and typed by its kind (a key of READ_KINDS), in the query's order.

    On PostgreSQL each column comes back as one value: its rows' binary forms end to end (text
    joined by TEXT_SEPARATOR), read with numpy. Any per-row transfer, even COPY, costs a message
    per row, and at a million rows the messages cost more than the values. Each such value is at
    most 1 GB, so a column holds at most about 130 million rows: use ``read_frame`` for more.
    The query's ORDER BY orders the rows: PostgreSQL aggregates a sorted subquery's rows in its
    order, and every column is aggregated in the same pass, so the columns stay aligned whatever
    happens. bigint and smallint must not be NULL; a NULL double reads as NaN, a NULL text as "".
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(query)
            frame = pd.DataFrame.from_records(cursor.fetchall(), columns=list(columns))
            return _typed(frame, columns=columns)
        aggregates = ", ".join(
            READ_KINDS[kind].aggregate.format(f"q.c{number}") for number, kind in enumerate(columns.values())
        )
        names = ", ".join(f"c{number}" for number in range(len(columns)))
        # Django's cursors bind parameters client-side, and such cursors cannot ask for binary results.
        with _driver_errors_wrapped(), psycopg.Cursor(cursor.cursor.connection) as binary:
            binary.execute(f"SELECT COUNT(*), {aggregates} FROM ({query}) AS q ({names})", binary=True)
            rows, *values = binary.fetchone()
    return pd.DataFrame(
        {
            name: _column(name, kind, value, rows=rows)
            for (name, kind), value in zip(columns.items(), values, strict=True)
        },
        index=range(rows),
    )


def _column(name: str, kind: str, value: bytes | str | None, *, rows: int) -> ArrayLike:
    """One aggregated column as an array of ``rows`` values; refuses one that lost rows to NULLs."""
    if rows == 0:
        return pd.array([], dtype=READ_KINDS[kind].dtype)
    if kind == "text":
        array = pd.array(value.split(TEXT_SEPARATOR), dtype="str")
    else:
        array = np.frombuffer(value or b"", dtype=READ_KINDS[kind].wire).astype(READ_KINDS[kind].dtype)
    if len(array) != rows:
        raise ValueError(
            f"Column {name} read {len(array)} values for {rows} rows: a {kind} column must not be NULL "
            f"(read it as double) and a text column must not contain {TEXT_SEPARATOR!r}."
        )
    return array


def _typed(frame: pd.DataFrame, *, columns: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` (rows as the database returned them) typed as ``read_columns`` types them."""
    return pd.DataFrame(
        {
            name: (frame[name].fillna("") if kind == "text" else pd.to_numeric(frame[name])).astype(
                READ_KINDS[kind].dtype
            )
            for name, kind in columns.items()
        },
        index=frame.index,
    )


def read_frame(*, query: str, columns: list[str]) -> pd.DataFrame:
    """Run ``query`` (no parameters) and return its rows as a DataFrame named by ``columns``, typed
    as pandas reads CSV. Streamed, so any number of rows; ``read_columns`` is faster for fewer."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with (
                _driver_errors_wrapped(),
                cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
            ):
                for block in copy:
                    buffer.write(block)
            if not buffer.tell():
                return pd.DataFrame(columns=columns)
            buffer.seek(0)
            return pd.read_csv(buffer, names=columns, header=None, keep_default_na=False, na_values=[""])
        cursor.execute(query)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


class TemporaryTable:
    """A table private to this database connection: created on entry, dropped on exit.

    Subclasses set ``name`` and ``definition`` (the column definitions). Rows may be added
    outside a transaction; after an error inside one, the rollback drops the table instead.
    """

    name: str
    definition: str

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.name} ({self.definition})")
        return self

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if exc_type is not None and connection.in_atomic_block:
            return  # the surrounding transaction rolls back, and the table with it
        if exc_type is not None and (connection.connection is None or not connection.is_usable()):
            return  # the connection died, and the table with it; let the original error through
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def index_and_analyse(self, *columns: str) -> None:
        """Help the planner before set-based steps: PostgreSQL hash-joins once it has statistics
        (autovacuum never analyses temporary tables); SQLite joins by nested loops and needs an index."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                for column in columns:
                    cursor.execute(f"CREATE INDEX {self.name}_{column} ON {self.name} ({column})")
            cursor.execute(f"ANALYZE {self.name}")


def datetimes_as_text(values: pd.Series) -> pd.Series:
    """Timezone-aware datetimes as the text this database takes in a bulk insert (UTC, to the second)."""
    utc = values.dt.tz_convert("UTC")
    return utc.dt.strftime(
        "%Y-%m-%d %H:%M:%S+00:00" if connection.vendor == "postgresql" else "%Y-%m-%d %H:%M:%S"
    )


def _driver_errors_wrapped() -> AbstractContextManager:
    """Turn the driver's errors into Django's (``django.db.DatabaseError`` and its kinds) where this
    module talks to psycopg itself: COPY and binary results are beyond Django's cursor, and a
    caller tells a dropped connection from a bug by Django's errors."""
    return connection.wrap_database_errors
