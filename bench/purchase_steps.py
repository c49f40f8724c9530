"""The steps of the purchase benchmark that run in a process of their own.

bench/purchase_bench.py runs each step as ``python -m bench.purchase_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line. A fresh
process per measurement means its peak memory (ru_maxrss) is that measurement's alone, and no
cache or connection carries over from one measurement to the next. The whole command,
``manage.py import_purchases``, is run by the benchmark itself, not here.

Steps (Django settings and DATABASE_URL come from the environment):
    generate CUSTOMERS LINES SEED OUT     write the customers, the purchase upload and the floor's rows
    load-customers ROWS                   COPY the customers in, then VACUUM ANALYZE (not timed)
    floor ROWS                            time a raw COPY of the normalised purchase lines
    import CSV                            time purchases_import, phase by phase and statement by statement
    explain CSV OUT                       an import whose statements run under EXPLAIN (ANALYZE, BUFFERS)
    vacuum                                VACUUM ANALYZE the database (not timed)
    group-by-floor                        time one GROUP BY over customers_purchase (CREATE TEMP TABLE AS)
    refresh                               time behaviour_refresh on the stored purchases
    behaviour-run                         time a segmentation run on recency, frequency and monetary
    behaviour-bound RUN_ID                time that run's lower bound: COPY out, one fit, COPY in
"""

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from numpy.typing import NDArray

from bench.common import Step, checkpoint, peak_mb, run_step_from_command_line

# THE INPUT

# The purchase upload's header, as a till or POS export might write it (see PURCHASE_COLUMNS).
UPLOAD_HEADER = ("CustomerID", "InvoiceNo", "InvoiceDate", "Amount", "Store", "Category")
# The normalised rows, in the order of the floor's COPY: what the service ends up storing.
FLOOR_COLUMNS = ("customer_id", "purchase_id", "line", "purchased_at", "amount", "store", "category")
CUSTOMER_COLUMNS = (
    "id", "created_at", "updated_at", "external_id", "gender", "age", "annual_income", "spending_score",
)  # fmt: skip
CHUNK_LINES = 1_000_000  # purchase lines generated and written at a time
LAST_DAY = np.datetime64("2025-12-31", "D")  # the history's last day; it starts 729 days before
HISTORY_DAYS = 730
MEAN_EXTRA_LINES = 3.0  # a receipt has 1 + Poisson(3) lines (at most MAX_LINES): about 4
MAX_LINES = 12
REFUND_SHARE = 0.04  # of a receipt's later lines (never its first) are refunds (negative)
CUSTOMER_CREATED = "2024-01-01 00:00:00+00"
_STORES = (
    # name, categories, typical line amount, popularity
    ("Northgate Fashion", ("Womenswear", "Menswear", "Accessories"), 40, 3),
    ("Maison Verre", ("Designer fashion", "Leather goods"), 180, 1),
    ("Aurum Jewellers", ("Jewellery", "Watches"), 220, 0.5),
    ("Glow Beauty", ("Skincare", "Fragrance", "Make-up"), 30, 2),
    ("Lumen Electronics", ("Phones", "Computers", "Audio"), 120, 1.5),
    ("Stride Shoes", ("Shoes", "Sportswear"), 60, 1.5),
    ("Home & Hearth", ("Homeware", "Kitchen", "Bedding"), 45, 1.5),
    ("Page Turner Books", ("Books", "Stationery"), 18, 1),
    ("Fresh Market", ("Groceries", "Household"), 25, 4),
    ("Bean & Leaf Cafe", ("Coffee", "Bakery"), 7, 4),
)
_STORE_NAMES = np.array([store[0] for store in _STORES], dtype=object)
_STORE_PRICES = np.array([store[2] for store in _STORES], dtype=float)
_STORE_SHARES = np.array([store[3] for store in _STORES], dtype=float) / sum(store[3] for store in _STORES)
_CATEGORY_COUNTS = np.array([len(store[1]) for store in _STORES])
_CATEGORIES = np.array(
    [store[1] + ("",) * (_CATEGORY_COUNTS.max() - len(store[1])) for store in _STORES], dtype=object
)
_PURCHASE_STREAM = 2  # keeps the purchase draws apart from the customer draws of the same seed


def generate(customers: int, lines: int, seed: int, out: Path) -> dict:
    """Write, under the prefix ``out``: the customers (normalised, with their ids), the purchase
    upload (CSV, as a user would import it) and the same lines normalised for the floor.

    Customers come from ``customers.demo.demo_customer_chunks`` (customer IDs "1" to "N"), loaded
    with id = customer ID, so the floor's rows carry the customer's id already resolved. Each
    customer gets a buying rate (gamma-distributed, higher for high spending scores), a first
    and a last active day within the 730 days up to LAST_DAY; receipts pick their customer by
    rate and a day in that customer's active span, a shop-hours time, a store; their lines
    (1 + Poisson(3), at most 12) get an amount about the store's price, a category, and 4% of
    the later lines are refunds. Purchase IDs are "R" and a 9-digit receipt number, in file
    order. Only CHUNK_LINES lines are ever in memory.
    """
    import django

    django.setup()
    from django.conf import settings

    from customers.demo import demo_customer_chunks

    paths = input_paths(out)
    parts = {name: path.with_suffix(".part") for name, path in paths.items() if name != "meta"}
    spending = []
    with parts["customers"].open("w", newline="") as file:
        for chunk in demo_customer_chunks(count=customers, seed=seed):
            spending.append(chunk["spending_score"].to_numpy())
            rows = chunk.assign(id=chunk["row"], created_at=CUSTOMER_CREATED, updated_at=CUSTOMER_CREATED)
            rows.loc[:, list(CUSTOMER_COLUMNS)].to_csv(file, header=False, index=False)
    rng = np.random.default_rng([seed, _PURCHASE_STREAM])
    habits = _CustomerHabits.draw(rng, spending=np.concatenate(spending))
    has_lines = np.zeros(customers, dtype=bool)
    receipts = 0
    with parts["upload"].open("w", newline="") as upload, parts["rows"].open("w", newline="") as rows_file:
        for number, start in enumerate(range(0, lines, CHUNK_LINES)):
            frame = _purchase_lines(
                rng, habits, size=min(CHUNK_LINES, lines - start), first_receipt=receipts + 1,
                time_zone=settings.TIME_ZONE,
            )  # fmt: skip
            receipts = int(frame.attrs["last_receipt"])
            has_lines[frame["customer_id"].to_numpy() - 1] = True
            frame.loc[:, list(FLOOR_COLUMNS)].to_csv(rows_file, header=False, index=False)
            upload_frame = frame.loc[
                :, ["external_id", "purchase_id", "date_text", "amount", "store", "category"]
            ]
            upload_frame.to_csv(upload, header=list(UPLOAD_HEADER) if number == 0 else False, index=False)
    meta = {
        "customers": customers,
        "lines": lines,
        "receipts": receipts,
        "customers_with_purchases": int(has_lines.sum()),
        "time_zone": settings.TIME_ZONE,
        "upload_bytes": parts["upload"].stat().st_size,
    }
    for name, part in parts.items():
        part.rename(paths[name])
    paths["meta"].write_text(json.dumps(meta))
    return meta


def input_paths(out: Path) -> dict[str, Path]:
    """The generated files for the prefix ``out`` (bench/out/purchases-…)."""
    return {
        "customers": out.with_name(out.name + ".customers.csv"),
        "upload": out.with_name(out.name + ".csv"),
        "rows": out.with_name(out.name + ".rows.csv"),
        "meta": out.with_name(out.name + ".json"),
    }


class _CustomerHabits:
    """Each customer's buying rate (as a cumulative distribution to draw receipts from) and active span."""

    def __init__(self, cumulative: NDArray[np.float64], last_ago: NDArray[np.int64], span: NDArray[np.int64]):
        self.cumulative, self.last_ago, self.span = cumulative, last_ago, span

    @classmethod
    def draw(cls, rng: np.random.Generator, *, spending: NDArray) -> "_CustomerHabits":
        size = len(spending)
        rate = rng.gamma(2.0, 1.0, size) * (0.5 + spending / 100)
        cumulative = np.cumsum(rate)
        cumulative /= cumulative[-1]
        # Days before LAST_DAY: the last active day (most still buy; some lapsed months ago), then the first.
        last_ago = np.minimum(rng.exponential(45, size), 600).astype(np.int64)
        first_ago = last_ago + rng.integers(30, HISTORY_DAYS, size)
        first_ago = np.minimum(first_ago, HISTORY_DAYS - 1)
        return cls(cumulative, last_ago, first_ago - last_ago + 1)


def _purchase_lines(
    rng: np.random.Generator, habits: _CustomerHabits, *, size: int, first_receipt: int, time_zone: str
) -> Any:
    """``size`` purchase lines of whole receipts (the last one cut to fit), receipts numbered from
    ``first_receipt``."""
    import pandas as pd

    line_counts = np.empty(0, dtype=np.int64)
    while line_counts.sum() < size:
        more = 1 + np.minimum(rng.poisson(MEAN_EXTRA_LINES, size // 4 + 16), MAX_LINES - 1)
        line_counts = np.concatenate([line_counts, more])
    ends = np.cumsum(line_counts)
    receipts = int(np.searchsorted(ends, size)) + 1  # the receipt holding line ``size``
    line_counts = line_counts[:receipts]
    line_counts[-1] -= ends[receipts - 1] - size
    customer = np.minimum(np.searchsorted(habits.cumulative, rng.random(receipts)), len(habits.span) - 1)
    days_ago = habits.last_ago[customer] + (rng.random(receipts) * habits.span[customer]).astype(np.int64)
    minute = 9 * 60 + rng.integers(0, 12 * 60, receipts)
    store = rng.choice(len(_STORES), size=receipts, p=_STORE_SHARES)
    local = (LAST_DAY - days_ago.astype("timedelta64[D]")).astype("datetime64[m]") + minute.astype(
        "timedelta64[m]"
    )
    utc = (
        pd.DatetimeIndex(local)
        .tz_localize(time_zone, ambiguous=np.zeros(receipts, dtype=bool), nonexistent="shift_forward")
        .tz_convert("UTC")
        .tz_localize(None)
        .to_numpy()
    )
    # One row per line: its receipt, its place in the receipt (from 1), amount, category.
    receipt = np.repeat(np.arange(receipts), line_counts)
    line = np.arange(size) - (np.cumsum(line_counts) - line_counts)[receipt] + 1
    line_store = store[receipt]
    amount = np.round(np.clip(_STORE_PRICES[line_store] * rng.lognormal(0, 0.6, size), 0.5, 50_000), 2)
    amount = np.where((line > 1) & (rng.random(size) < REFUND_SHARE), -amount, amount)
    category = _CATEGORIES[line_store, (rng.random(size) * _CATEGORY_COUNTS[line_store]).astype(int)]
    numbers = np.arange(first_receipt, first_receipt + receipts)
    purchase_ids = np.char.add("R", np.char.zfill(numbers.astype("U9"), 9)).astype(object)
    frame = pd.DataFrame(
        {
            "customer_id": customer[receipt] + 1,
            "external_id": (customer[receipt] + 1).astype(str),
            "purchase_id": purchase_ids[receipt],
            "line": line,
            "date_text": np.datetime_as_string(local, unit="m").astype(object)[receipt],  # 2025-03-31T14:05
            "purchased_at": np.char.add(np.datetime_as_string(utc, unit="s"), "+00:00").astype(object)[
                receipt
            ],
            "amount": np.char.mod("%.2f", amount).astype(object),
            "store": _STORE_NAMES[line_store],
            "category": category,
        }
    )
    frame.attrs["last_receipt"] = first_receipt + receipts - 1
    return frame


# DATABASES


def load_customers(rows: Path) -> dict:
    """COPY the generated customers into the empty, migrated customers_customer (ids as generated),
    move the id sequence past them, then VACUUM ANALYZE as an established customer book would be.
    Not timed."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        _copy_file(
            conn, f"COPY customers_customer ({', '.join(CUSTOMER_COLUMNS)}) FROM STDIN (FORMAT csv)", rows
        )
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('customers_customer', 'id'), "
            "(SELECT max(id) FROM customers_customer))"
        )
        conn.execute("VACUUM ANALYZE customers_customer")
        added = conn.execute("SELECT count(*) FROM customers_customer").fetchone()[0]
        mismatched = conn.execute(
            "SELECT count(*) FROM customers_customer WHERE id::text <> external_id"
        ).fetchone()[0]
    if mismatched:
        raise RuntimeError(f"{mismatched:,} customers have an id other than their customer ID")
    return {"added": added, "updated": 0}


def vacuum() -> dict:
    """VACUUM ANALYZE everything, after the import's millions of writes: the next reader of the new
    rows would otherwise pay for setting their hint bits, and autovacuum would start on them
    during a timed step. Not timed (reported)."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        return {"seconds": time.perf_counter() - start}


def _copy_file(conn: psycopg.Connection, sql: str, path: Path) -> None:
    with conn.cursor() as cursor, cursor.copy(sql) as copy, path.open("rb") as file:
        while block := file.read(1 << 20):
            copy.write(block)


# THE FLOOR OF THE IMPORT

FLOOR_TABLES = {
    # the floor: the real table's columns, keys, indexes, CHECKs and its foreign key
    "seconds": ("floor_purchase", "INCLUDING ALL", True),
    # the same without the foreign key (LIKE copies no foreign key)
    "no_fk_seconds": ("floor_purchase_no_fk", "INCLUDING ALL", False),
    # no index, no CHECK (NOT NULL and the identity kept)
    "plain_seconds": ("floor_purchase_plain", "INCLUDING IDENTITY", False),
}


def floor(rows: Path) -> dict:
    """Time a raw COPY of the normalised lines (customer ids resolved, lines numbered, dates in
    UTC) into tables shaped like customers_purchase, each in one transaction, commit included."""
    timed = {}
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for figure, (table, like, foreign_key) in FLOOR_TABLES.items():
            conn.execute(f"CREATE TABLE {table} (LIKE customers_purchase {like})")
            conn.execute(
                f"ALTER TABLE {table} ALTER created_at SET DEFAULT now(), ALTER updated_at SET DEFAULT now()"
            )
            if foreign_key:
                conn.execute(
                    f"ALTER TABLE {table} ADD FOREIGN KEY (customer_id) REFERENCES customers_customer (id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
            checkpoint(conn)
            sql = f"COPY {table} ({', '.join(FLOOR_COLUMNS)}) FROM STDIN (FORMAT csv)"
            start = time.perf_counter()
            with conn.transaction():
                _copy_file(conn, sql, rows)
            timed[figure] = time.perf_counter() - start
            timed[f"{figure}_rows"] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            conn.execute(f"DROP TABLE {table}")
    return timed | {"peak_mb": peak_mb()}


# THE IMPORT, INSTRUMENTED

# Marks the benchmark sets inside the import (see _instrumented_import).
STAGING_COPY = "staging COPY"
MERGE, REFRESH, RECEIVERS, RETURNED = "merge", "behaviour refresh", "receivers", "returned"


def run_import(csv_path: Path) -> dict:
    """Time one call of purchases_import, as the command makes it (file opened in binary), on
    DATABASE_URL; Django is set up and connected beforehand. Phases come from marks around what
    the import calls, and each SQL statement Django runs is timed (Django's execute_wrapper;
    the staging COPY goes round it and is timed as a whole)."""
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    checkpoint(connection.connection)
    with _instrumented_import() as (purchases_import, marks, statements, receivers):
        setup_peak_mb = peak_mb()
        with csv_path.open("rb") as file:
            start = time.perf_counter()
            report = purchases_import(file=file, file_name=csv_path.name, on_progress=marks.progress)
            seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "setup_peak_mb": setup_peak_mb,
        "phases": marks.phases(start, seconds),
        "statements": _slowest(statements),
        "receivers": receivers,
        "rejected": report.rejected,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "summary": report.summary(),
    }


class _Marks:
    """When each part of the import started and ended (perf_counter), from the progress reports and
    the wrappers."""

    def __init__(self) -> None:
        self.points: dict[str, float] = {}
        self.staging_copy = 0.0
        self.receivers = 0.0

    def progress(self, percent: int, step: str) -> None:
        if percent >= 91:
            self.points.setdefault(step, time.perf_counter())

    def mark(self, name: str) -> None:
        self.points[name] = time.perf_counter()

    def phases(self, start: float, seconds: float) -> dict[str, float]:
        """Seconds per phase; "Read + check" is reading and checking the file, less the staging COPY."""
        end = start + seconds
        checked = self.points.get("Checking dates, customers and purchase IDs", end)
        writing = self.points.get("Writing purchase lines", end)
        merge_start, merge_end = self.points.get(MERGE, end), self.points.get(f"{MERGE} done", end)
        refresh_start, refresh_end = self.points.get(REFRESH, end), self.points.get(f"{REFRESH} done", end)
        return {
            "Read + check": checked - start - self.staging_copy,
            "Staging COPY": self.staging_copy,
            "Index + whole-file checks": writing - checked,
            "Merge": merge_end - merge_start,
            "Behaviour refresh": refresh_end - refresh_start,
            "of which receivers": self.receivers,
            "Commit": end - refresh_end,
            "Other": (merge_start - writing) + (refresh_start - merge_end),
        }


@contextmanager
def _instrumented_import() -> Iterator[tuple[Callable[..., Any], _Marks, list, list[str]]]:
    """purchases_import with marks around the staging COPY, the merge, the behaviour refresh and the
    receivers of behaviour_refreshed, and every statement timed. The wrappers stay for the rest of
    this process: it ends after the one import."""
    from django.db import connection

    from customers import behaviour, purchase_import, purchase_staging

    marks, statements = _Marks(), []
    insert_frame = purchase_staging.insert_frame
    merge = purchase_staging.PurchaseStaging.merge
    refresh = purchase_import.behaviour_refresh

    def timed_insert(**kwargs: Any) -> None:
        start = time.perf_counter()
        insert_frame(**kwargs)
        marks.staging_copy += time.perf_counter() - start

    def marked_merge(self: Any, **kwargs: Any) -> Any:
        marks.mark(MERGE)
        merged = merge(self, **kwargs)
        marks.mark(f"{MERGE} done")
        return merged

    def marked_refresh() -> int:
        marks.mark(REFRESH)
        count = refresh()
        marks.mark(f"{REFRESH} done")
        return count

    purchase_staging.insert_frame = timed_insert
    purchase_staging.PurchaseStaging.merge = marked_merge
    purchase_import.behaviour_refresh = marked_refresh
    receivers = _time_receivers(behaviour.behaviour_refreshed, marks)
    with connection.execute_wrapper(_StatementTimer(statements)):
        yield purchase_import.purchases_import, marks, statements, receivers


def _time_receivers(signal: Any, marks: _Marks) -> list[str]:
    """Time the receivers of ``signal`` as one (wrapping its send); return their names."""
    send = signal.send

    def timed_send(sender: Any, **named: Any) -> Any:
        start = time.perf_counter()
        sent = send(sender, **named)
        marks.receivers += time.perf_counter() - start
        return sent

    signal.send = timed_send
    return receiver_names(signal)


def receiver_names(signal: Any) -> list[str]:
    """The receivers connected to ``signal``, as module.function."""
    from customers.models import CustomerBehaviour

    live = signal._live_receivers(CustomerBehaviour)
    functions = [*live[0], *live[1]] if isinstance(live, tuple) else list(live)
    return [f"{function.__module__}.{function.__qualname__}" for function in functions]


class _StatementTimer:
    """Django's execute_wrapper: each statement's SQL (whitespace collapsed) and seconds."""

    def __init__(self, statements: list[tuple[str, float]]) -> None:
        self.statements = statements

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((" ".join(sql.split()), time.perf_counter() - start))


def _slowest(statements: list[tuple[str, float]], count: int = 10) -> list[dict]:
    """The ``count`` slowest statements (SQL cut to 160 characters)."""
    ranked = sorted(statements, key=lambda statement: statement[1], reverse=True)[:count]
    return [{"sql": sql[:160], "seconds": seconds} for sql, seconds in ranked]


# THE IMPORT UNDER EXPLAIN

_EXPLAINED = ("SELECT", "INSERT", "UPDATE", "DELETE")


def _explainable(sql: str) -> bool:
    upper = sql.upper()
    return upper.startswith(_EXPLAINED) or (
        upper.startswith("CREATE TEMPORARY TABLE") and " AS SELECT " in upper
    )


def explain(csv_path: Path, out: Path) -> dict:
    """Run the import once more with every statement that can be explained run under
    ``EXPLAIN (ANALYZE, BUFFERS)`` and its plan written to ``out``: a diagnosis, not a timing
    (EXPLAIN ANALYZE's clocks slow the statements down). Writing statements run for real under
    EXPLAIN, so their row counts (and the import's report) are wrong; SELECTs are explained and
    then run as they are, so the import goes its normal way."""
    import django

    django.setup()
    from django.db import connection

    from customers.purchase_import import purchases_import

    plans: list[str] = []

    def explaining(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        text = " ".join(sql.split())
        if many or not _explainable(text):
            return execute(sql, params, many, context)
        start = time.perf_counter()
        result = execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params, many, context)
        plan = "\n".join(row[0] for row in context["cursor"].fetchall())
        plans.append(f"-- {time.perf_counter() - start:.2f} s: {text}\n{plan}\n")
        if text.upper().startswith("SELECT"):
            return execute(sql, params, many, context)
        return result

    with csv_path.open("rb") as file, connection.execute_wrapper(explaining):
        purchases_import(file=file, file_name=csv_path.name)
    out.write_text("\n".join(plans))
    return {"plans": len(plans), "out": str(out)}


# THE BEHAVIOUR REFRESH AND ITS FLOOR

GROUP_BY = (
    "SELECT customer_id, MIN(purchased_at), MAX(purchased_at), COUNT(DISTINCT purchase_id), SUM(amount) "
    "FROM customers_purchase GROUP BY customer_id"
)


def group_by_floor() -> dict:
    """Time the one GROUP BY, its result stored server-side as a temporary table (no rows sent to
    the client), in one transaction, commit included."""
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        checkpoint(conn)
        start = time.perf_counter()
        with conn.transaction():
            cursor = conn.execute(f"CREATE TEMPORARY TABLE floor_behaviour AS {GROUP_BY}")
            groups = cursor.rowcount
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "groups": groups}


def refresh() -> dict:
    """Time behaviour_refresh() on the stored purchases (its own transaction, commit included), the
    receivers of behaviour_refreshed apart, and each statement."""
    import django

    django.setup()
    from django.db import connection

    from customers import behaviour

    connection.ensure_connection()
    checkpoint(connection.connection)
    marks, statements = _Marks(), []
    receivers = _time_receivers(behaviour.behaviour_refreshed, marks)
    with connection.execute_wrapper(_StatementTimer(statements)):
        start = time.perf_counter()
        count = behaviour.behaviour_refresh()
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "customers": count,
        "receivers_seconds": marks.receivers,
        "receivers": receivers,
        "statements": _slowest(statements),
        "peak_mb": peak_mb(),
    }


# A BEHAVIOUR RUN AND ITS LOWER BOUND

BEHAVIOUR_FEATURES = ["recency_days", "frequency", "monetary"]
# customers_customerbehaviour (customer_id bigint, recency_days integer, frequency integer,
# monetary numeric(16, 2), read as double precision)
_BEHAVIOUR_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("id_length", ">i4"),
        ("id", ">i8"),
        ("recency_length", ">i4"),
        ("recency", ">i4"),
        ("frequency_length", ">i4"),
        ("frequency", ">i4"),
        ("monetary_length", ">i4"),
        ("monetary", ">f8"),
    ]
)


def behaviour_run() -> dict:
    """Time ``segmentation_run_execute`` on a run started as the portal starts one on the behaviour
    features, phase by phase, exactly as bench/run_steps.py times a run on income and spending."""
    import django

    django.setup()
    from django.db import connection

    from bench import run_steps
    from segmentation.services import execution
    from segmentation.services.runs import segmentation_run_start

    connection.ensure_connection()
    checkpoint(connection.connection)
    started = segmentation_run_start(started_by=None, features=BEHAVIOUR_FEATURES, enqueue=False)
    timeline, engine_pools = run_steps._instrument(execution)
    setup_peak_mb = peak_mb()
    start = time.perf_counter()
    execution.segmentation_run_execute(run_id=started.pk)
    seconds = time.perf_counter() - start
    phases = run_steps._phases([(moment - start, step) for moment, step in timeline], seconds)
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "setup_peak_mb": setup_peak_mb,
        "phases": phases,
        "sweep_seconds": phases[run_steps.SWEEP_PHASE],
        **_behaviour_run_outcome(started.pk),
        "threadpools": run_steps._threadpools(engine_pools),
    }


def _behaviour_run_outcome(run_id: int) -> dict:
    """What the run stored; the benchmark refuses a run that failed or missed a customer with purchases."""
    from customers.models import Customer, CustomerBehaviour
    from segmentation.models import Assignment, SegmentationRun

    run = SegmentationRun.objects.get(pk=run_id)
    assignments = Assignment.objects.filter(run=run).count()
    with_behaviour = CustomerBehaviour.objects.count()
    if run.status != SegmentationRun.Status.SUCCEEDED or assignments != with_behaviour:
        raise RuntimeError(
            f"Run {run_id} ended {run.status} ({run.error or 'no error'}) with {assignments:,} "
            f"assignments for {with_behaviour:,} customers with purchases"
        )
    return {
        "run_id": run.pk,
        "k": run.k,
        "customers": Customer.objects.count(),
        "segmented": assignments,
        "without_history": run.customers_without_history,
        "sweep_sample_size": run.k_sweep["sample_size"],
    }


def behaviour_bound(run_id: int) -> dict:
    """The least any behaviour run has to do, timed like bench/run_steps.py's bound: read the three
    features of every customer with behaviour by binary COPY (monetary cast to double precision),
    standardise and fit one plain K-Means with the run's K, write the assignments by binary COPY
    into an empty table shaped like segmentation_assignment."""
    from bench import run_steps

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # after the real run's writes: keep autovacuum out
        segment_ids = np.array(
            [row[0] for row in conn.execute(run_steps._SEGMENT_IDS, (run_id,))], dtype=np.int64
        )
        table = run_steps.BOUND_TABLE
        conn.execute(f"CREATE TABLE {table} (LIKE segmentation_assignment INCLUDING ALL)")
        checkpoint(conn)
        start = time.perf_counter()
        customer_ids, features = _read_behaviour(conn)
        read_done = time.perf_counter()
        labels, distances, iterations = run_steps._fit(features, k=len(segment_ids))
        fit_done = time.perf_counter()
        rows = run_steps._assignment_rows(run_id, customer_ids, segment_ids[labels], distances)
        run_steps._copy_in(conn, table, rows)
        write_done = time.perf_counter()
        run_steps._check_count(conn, table, len(customer_ids))
    return {
        "seconds": write_done - start,
        "read_seconds": read_done - start,
        "fit_seconds": fit_done - read_done,
        "write_seconds": write_done - fit_done,
        "iterations": iterations,
        "peak_mb": peak_mb(),
    }


def _read_behaviour(conn: psycopg.Connection) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Every customer's id and behaviour features through one binary COPY, as a numpy record array."""
    from bench import run_steps

    sql = (
        "COPY (SELECT customer_id, recency_days, frequency, monetary::float8 "
        "FROM customers_customerbehaviour) TO STDOUT WITH (FORMAT binary)"
    )
    with conn.cursor() as cursor, cursor.copy(sql) as copy:
        data = b"".join(bytes(block) for block in copy)
    header = run_steps._COPY_HEADER
    if not data.startswith(run_steps._COPY_SIGNATURE):
        raise RuntimeError("Not PostgreSQL binary COPY output")
    offset = len(header) + int.from_bytes(data[len(run_steps._COPY_SIGNATURE) + 4 : len(header)], "big")
    count = (len(data) - offset - len(run_steps._COPY_TRAILER)) // _BEHAVIOUR_ROW.itemsize
    rows = np.frombuffer(data, dtype=_BEHAVIOUR_ROW, offset=offset, count=count)
    if not (rows["fields"] == 4).all() or data[offset + rows.nbytes :] != run_steps._COPY_TRAILER:
        raise RuntimeError("Unexpected layout of the binary COPY output")
    features = np.column_stack([rows["recency"], rows["frequency"], rows["monetary"]]).astype(np.float64)
    return rows["id"].astype(np.int64), features


# COMMAND LINE


STEPS: dict[str, Step] = {
    "generate": (generate, [("customers", int), ("lines", int), ("seed", int), ("out", Path)]),
    "load-customers": (load_customers, [("rows", Path)]),
    "floor": (floor, [("rows", Path)]),
    "import": (run_import, [("csv", Path)]),
    "explain": (explain, [("csv", Path), ("out", Path)]),
    "vacuum": (vacuum, []),
    "group-by-floor": (group_by_floor, []),
    "refresh": (refresh, []),
    "behaviour-run": (behaviour_run, []),
    "behaviour-bound": (behaviour_bound, [("run_id", int)]),
}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
