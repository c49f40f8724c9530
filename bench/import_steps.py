"""The steps of the customer import benchmark that run in a process of their own.

bench/import_bench.py runs each step as ``python -m bench.import_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line. A fresh
process per measurement means its peak memory (ru_maxrss) is that measurement's alone,
and no cache or connection carries over from one measurement to the next.

Steps:
    generate SIZE SEED CSV ROWS     write the upload file and the normalised floor input
    import CSV                      time customers_import (Django settings from the environment)
    postgres-floor ROWS URL         time a raw COPY into a keyed and a plain table
    sqlite-floor ROWS PATH          time a raw executemany into customers_customer
"""

import csv
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.common import Step, checkpoint, peak_mb, run_step_from_command_line

# The columns the service validates and stores, in the order of the normalised floor input.
VALUE_COLUMNS = ("external_id", "gender", "age", "annual_income", "spending_score")
MALL_HEADER = {
    "external_id": "CustomerID",
    "gender": "Gender",
    "age": "Age",
    "annual_income": "Annual Income (k$)",
    "spending_score": "Spending Score (1-100)",
}
_COPY_BLOCK_BYTES = 1 << 20


def generate(size: int, seed: int, csv_path: Path, rows_path: Path) -> dict:
    """Write ``size`` demo customers twice: as a user's Mall Customers upload, and normalised.

    The normalised copy (no header, lower-case gender) holds exactly what the service ends up
    storing, so the floor loads the same rows without any of the service's work.
    """
    from customers.demo import demo_customer_chunks

    csv_part, rows_part = csv_path.with_suffix(".part"), rows_path.with_suffix(".part")
    with csv_part.open("w", newline="") as upload, rows_part.open("w", newline="") as normalised:
        for number, chunk in enumerate(demo_customer_chunks(count=size, seed=seed)):
            values = chunk.loc[:, list(VALUE_COLUMNS)].astype({"annual_income": int})
            values.to_csv(normalised, header=False, index=False)
            values["gender"] = values["gender"].str.capitalize()
            values.rename(columns=MALL_HEADER).to_csv(upload, header=number == 0, index=False)
    csv_part.rename(csv_path)
    rows_part.rename(rows_path)
    return {"rows": size}


def run_import(csv_path: Path) -> dict:
    """Time one call of the real import service; Django is set up and connected beforehand."""
    import django

    django.setup()
    from django.db import connection

    from customers.customer_import import customers_import

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        checkpoint(connection.connection)
    setup_peak_mb = peak_mb()
    with csv_path.open("rb") as file:
        start = time.perf_counter()
        report = customers_import(file=file, file_name=csv_path.name)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "setup_peak_mb": setup_peak_mb,
        "rejected": report.rejected,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "summary": report.summary(),
    }


def postgres_floor(rows_path: Path, url: str) -> dict:
    """Time a raw COPY of the normalised rows into (a) a table keyed like customers_customer
    and (b) the same columns without its indexes and CHECK constraints.

    (a) is the floor: any way of storing the rows has to maintain the primary key, the
    unique customer ID and the checks. Both tables take their timestamps from defaults.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_keyed (LIKE customers_customer INCLUDING ALL)")
        conn.execute("CREATE TABLE floor_plain (LIKE customers_customer INCLUDING IDENTITY)")
        for table in ("floor_keyed", "floor_plain"):
            conn.execute(
                f"ALTER TABLE {table} ALTER created_at SET DEFAULT now(), ALTER updated_at SET DEFAULT now()"
            )
        return {
            "seconds": _timed_copy(conn, "floor_keyed", rows_path),
            "plain_seconds": _timed_copy(conn, "floor_plain", rows_path),
        }


def _timed_copy(conn: psycopg.Connection, table: str, rows_path: Path) -> float:
    """Stream the file into ``table`` with COPY in one transaction; the commit is timed too."""
    checkpoint(conn)
    sql = f"COPY {table} ({', '.join(VALUE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
    start = time.perf_counter()
    with conn.transaction(), conn.cursor() as cursor, cursor.copy(sql) as copy, rows_path.open("rb") as rows:
        while block := rows.read(_COPY_BLOCK_BYTES):
            copy.write(block)
    return time.perf_counter() - start


def sqlite_floor(rows_path: Path, database_path: Path) -> dict:
    """Time the fastest plain load of the parsed rows into the empty, migrated customers_customer:
    one executemany of ready tuples in one transaction, with the portal's journal settings.
    """
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with rows_path.open(newline="") as file:
        rows = [
            (now, now, external_id, gender, int(age), float(income), int(score))
            for external_id, gender, age, income, score in csv.reader(file)
        ]
    columns = ("created_at", "updated_at", *VALUE_COLUMNS)
    sql = f"INSERT INTO customers_customer ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn = sqlite3.connect(database_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        seconds = time.perf_counter() - start
    finally:
        conn.close()
    return {"seconds": seconds}


STEPS: dict[str, Step] = {
    "generate": (generate, [("size", int), ("seed", int), ("csv", Path), ("rows", Path)]),
    "import": (run_import, [("csv", Path)]),
    "postgres-floor": (postgres_floor, [("rows", Path), ("url", str)]),
    "sqlite-floor": (sqlite_floor, [("rows", Path), ("path", Path)]),
}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
