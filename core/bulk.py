"""Moving many rows between pandas and the database without one ORM object per row.

PostgreSQL gets COPY in both directions; other databases (SQLite) get large-batch
``executemany`` and a plain fetch. Callers name tables and columns from their models'
``_meta``, never from user input.
"""

import io

import pandas as pd
from django.db import connection

INSERT_BATCH_ROWS = 50_000


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
            return pd.read_csv(buffer, names=columns, header=None, keep_default_na=False)
        cursor.execute(query)
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)
