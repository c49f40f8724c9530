"""Moving many rows between pandas and the database without one ORM object per row.

PostgreSQL gets COPY in both directions; other databases (SQLite) get large-batch
``executemany`` and a plain fetch. Callers name tables and columns from their models'
``_meta``, never from user input.
"""

import io
import struct
from collections.abc import Mapping
from types import TracebackType

import numpy as np
import pandas as pd
from django.db import connection

INSERT_BATCH_ROWS = 50_000
# PostgreSQL's binary COPY: a signature, flags and header-extension length, then the tuples
# (a field count, then each field's byte length and big-endian value), then -1.
BINARY_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
BINARY_COPY_TRAILER = struct.pack(">h", -1)
# A binary COPY row holding one array: its field count (2 bytes) and the value's length (4 bytes),
# then the array: dimensions, flags, element type and, for its one dimension, length and lower bound.
ARRAY_VALUE_PREFIX = 2 + 4
INT8_ARRAY_HEADER = 4 * 5
BINARY_TYPES = {"bigint": ">i8", "double": ">f8", "boolean": "u1"}
TypedColumns = Mapping[str, tuple[str, np.ndarray | int | float | bool]]
"""Column name -> (its type: a key of BINARY_TYPES, its values: one per row, or one for all)."""


def insert_frame(*, table: str, frame: pd.DataFrame) -> None:
    """Insert every row of ``frame``; its column names are the table's column names."""
    if frame.empty:
        return
    columns = ", ".join(frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(frame.to_csv(header=False, index=False))
            return
        placeholders = ", ".join(["%s"] * len(frame.columns))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for start in range(0, len(frame), INSERT_BATCH_ROWS):
            batch = frame.iloc[start : start + INSERT_BATCH_ROWS]
            cursor.executemany(sql, batch.itertuples(index=False, name=None))


def insert_columns(*, table: str, rows: int, columns: TypedColumns) -> None:
    """Insert ``rows`` rows given column by column, none NULL. On PostgreSQL they go as one binary
    COPY built straight from the numpy arrays (no text formatting per value); elsewhere through
    ``insert_frame``."""
    if rows == 0:
        return
    if connection.vendor != "postgresql":
        insert_frame(
            table=table,
            frame=pd.DataFrame({name: values for name, (_, values) in columns.items()}, index=range(rows)),
        )
        return
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT binary)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(binary_copy_data(rows=rows, columns=columns))


def binary_copy_data(*, rows: int, columns: TypedColumns) -> bytes:
    """The rows as one PostgreSQL binary COPY stream, laid out by a numpy record type."""
    layout = [("fields", ">i2")]
    for name, (kind, _) in columns.items():
        layout += [(f"{name}__length", ">i4"), (name, BINARY_TYPES[kind])]
    tuples = np.zeros(rows, dtype=np.dtype(layout))
    tuples["fields"] = len(columns)
    for name, (kind, values) in columns.items():
        tuples[f"{name}__length"] = np.dtype(BINARY_TYPES[kind]).itemsize
        tuples[name] = values
    return BINARY_COPY_HEADER + tuples.tobytes() + BINARY_COPY_TRAILER


def read_ids(*, table: str) -> np.ndarray:
    """Every ``id`` in ``table``, ascending, as int64.

    On PostgreSQL the ids come as one array value in a binary COPY: COPY sends one message per
    row, and a million messages cost more than the ids themselves. The array's binary form is a
    header (dimensions, flags, element type, length, lower bound) then each element's byte length
    and big-endian value."""
    query = f"SELECT id FROM {table} ORDER BY id"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(query)
            return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)
        array_query = f"SELECT COALESCE(array_agg(id ORDER BY id), '{{}}') FROM {table}"
        with cursor.cursor.copy(f"COPY ({array_query}) TO STDOUT WITH (FORMAT binary)") as copy:
            stream = b"".join(copy)
    value_starts = len(BINARY_COPY_HEADER) + ARRAY_VALUE_PREFIX
    if len(stream) - value_starts < INT8_ARRAY_HEADER:  # the empty array has no dimension
        return np.empty(0, dtype=np.int64)
    elements = np.frombuffer(
        stream,
        dtype=np.dtype([("length", ">i4"), ("id", ">i8")]),
        offset=value_starts + INT8_ARRAY_HEADER,
        count=(len(stream) - value_starts - INT8_ARRAY_HEADER - len(BINARY_COPY_TRAILER)) // 12,
    )
    return elements["id"].astype(np.int64)


def read_frame(*, query: str, columns: list[str]) -> pd.DataFrame:
    """Run ``query`` (no parameters) and return its rows as a DataFrame named by ``columns``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
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
