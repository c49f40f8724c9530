"""The steps of the segmentation run benchmark that run in a process of their own.

bench/run_bench.py runs each step as ``python -m bench.run_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line. A fresh
process per measurement means its peak memory (ru_maxrss) is that measurement's alone.

Steps (Django settings and DATABASE_URL come from the environment):
    seed SIZE SEED      create SIZE demo customers, then VACUUM ANALYZE them (not timed)
    run                 start a run and time segmentation_run_execute, phase by phase
    bound RUN_ID        time the lower bound with the run's K: COPY out, one fit, COPY in

Both timed steps give the maths libraries ENGINE_THREADS threads (the portal's setting, default 1):
the service itself limits the engine to it, and the bound limits its one fit the same way.
"""

import os
import struct
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import psycopg
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info, threadpool_limits

from bench.common import (
    BINARY_COPY_HEADER,
    BINARY_COPY_TRAILER,
    Step,
    checkpoint,
    peak_mb,
    run_step_from_command_line,
)

FEATURES = ["annual_income", "spending_score"]
THREAD_VARIABLES = ("ENGINE_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# The portal's default for ENGINE_THREADS (mallseg.settings), for the bound when the variable is unset.
DEFAULT_ENGINE_THREADS = 1
# Steps the benchmark marks inside the service's last one, "Saving segments and assignments".
FORMATTING = "Laying the assignments out for a binary COPY"
COPYING = "Copying the assignments"
CHECKING = "Checking which customers are still in the book"
COMMITTING = "Committing"
# The phases of a run and the steps in each, by how the step's description starts; the run
# starts in "Loading customers" (set when it is claimed) and each step lasts until the next.
# The silhouette, quality and stability are measured in a thread while the run saves, so their
# time is not a phase of its own: what of it the save does not cover shows in "Save: commit".
PHASES = (
    ("Load", ("Loading customers",)),
    ("Check + scale", ("Checking the data", "Scaling")),
    ("Choose K", ("Choosing K", "Tried K=")),
    ("Fit", ("Fitting",)),
    ("Describe", ("Describing",)),
    ("Save: prepare", ("Saving",)),
    ("Save: customer check", (CHECKING,)),
    ("Save: lay out", (FORMATTING,)),
    ("Save: COPY", (COPYING,)),
    ("Save: commit", (COMMITTING,)),
)
SWEEP_PHASE = "Choose K"
# Records, with the time, that a step starts now (see _instrument).
Mark = Callable[[str], None]

# The binary COPY format: see bench.common.BINARY_COPY_HEADER.
_COPY_SIGNATURE = BINARY_COPY_HEADER[:11]
_COPY_HEADER, _COPY_TRAILER = BINARY_COPY_HEADER, BINARY_COPY_TRAILER
# customers_customer (id bigint, annual_income double precision, spending_score smallint)
_CUSTOMER_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("id_length", ">i4"),
        ("id", ">i8"),
        ("income_length", ">i4"),
        ("income", ">f8"),
        ("score_length", ">i4"),
        ("score", ">i2"),
    ]
)
# segmentation_assignment (run_id, customer_id, segment_id bigint, distance double precision, placed boolean)
_ASSIGNMENT_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("run_length", ">i4"),
        ("run_id", ">i8"),
        ("customer_length", ">i4"),
        ("customer_id", ">i8"),
        ("segment_length", ">i4"),
        ("segment_id", ">i8"),
        ("distance_length", ">i4"),
        ("distance", ">f8"),
        ("placed_length", ">i4"),
        ("placed", "u1"),
    ]
)
_ASSIGNMENT_COLUMNS = "run_id, customer_id, segment_id, distance, placed"
_SEGMENT_IDS = "SELECT id FROM segmentation_segment WHERE run_id = %s ORDER BY number"
BOUND_TABLE = "bound_assignment"


# SEEDING


def seed_customers(size: int, seed: int) -> dict:
    """Create the demo customers, then vacuum and analyse them as an established customer book would be.

    Without the VACUUM, autovacuum would start on the fresh million rows in the middle of the
    timed run, and whichever process read the table first would pay for setting its hint bits.
    """
    import django

    django.setup()
    from django.db import connection

    from customers.services import customers_seed_demo

    seeded = customers_seed_demo(count=size, seed=seed, purchases=False)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE customers_customer")
    return {"added": seeded.added, "updated": seeded.updated}


# THE REAL RUN


def run() -> dict:
    """Time ``segmentation_run_execute`` on a run started as the portal starts one, phase by phase."""
    import django

    django.setup()
    from django.db import connection

    from segmentation.services import execution
    from segmentation.services.runs import segmentation_run_start

    connection.ensure_connection()
    checkpoint(connection.connection)
    started = segmentation_run_start(started_by=None, features=FEATURES, enqueue=False)
    timeline, engine_pools = _instrument(execution)
    setup_peak_mb = peak_mb()
    start = time.perf_counter()
    execution.segmentation_run_execute(run_id=started.pk)
    seconds = time.perf_counter() - start
    phases = _phases([(moment - start, step) for moment, step in timeline], seconds)
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "setup_peak_mb": setup_peak_mb,
        "phases": phases,
        "sweep_seconds": phases[SWEEP_PHASE],
        **_run_outcome(started.pk),
        "threadpools": _threadpools(engine_pools),
    }


def _instrument(execution: ModuleType) -> tuple[list[tuple[float, str]], list[dict]]:
    """Keep every progress report of the service with its time, mark the steps of saving, and
    note the thread pools the engine ran with.

    The service's own reports give the engine's steps; wrapping the helpers it calls while
    saving splits that last step into preparing, the check of which customers are still in the
    book (a table lock and one read of every id), laying the rows out for a binary COPY, the
    COPY, and the rest: the run row and the commit. Each mark costs one list append. The thread
    pools are read (threadpoolctl) as the engine returns, inside the service's
    ``threadpool_limits``. The wrappers stay for the rest of this process: it ends after the one run.
    """
    from core import bulk
    from segmentation import engine
    from segmentation.services import assignments

    timeline: list[tuple[float, str]] = []
    engine_pools: list[dict] = []

    def mark(step: str) -> None:
        timeline.append((time.perf_counter(), step))

    execution._report_progress = _marking_reports(execution._report_progress, mark)
    assignments.still_in_book = _marking_check(assignments.still_in_book, mark)
    assignments.insert_columns = _marking_insert(assignments.insert_columns, mark)
    bulk.binary_copy_tuples = _marking_layout(bulk.binary_copy_tuples, mark)
    engine.segment_customers = _noting_pools(engine.segment_customers, engine_pools)
    return timeline, engine_pools


def _marking_reports(report: Callable[[int, int, str], None], mark: Mark) -> Callable[[int, int, str], None]:
    """The service's progress report, marking the step it reports as it starts."""

    def reporting(run_id: int, percent: int, step: str) -> None:
        mark(step)
        report(run_id, percent, step)

    return reporting


def _marking_check(still_in_book: Callable[..., Any], mark: Mark) -> Callable[..., Any]:
    """The check of which customers are still in the book (a lock, then a read of every id if any
    customer was deleted since the run read them), marked."""

    def checking(customer_ids: Any, **options: Any) -> Any:
        mark(CHECKING)
        return still_in_book(customer_ids, **options)

    return checking


def _marking_insert(insert_columns: Callable[..., None], mark: Mark) -> Callable[..., None]:
    """The assignments' insert, marking the start of laying the rows out (its first part) and,
    once the COPY is done, of the rest: the run row and the commit."""

    def inserting(**kwargs: Any) -> None:
        mark(FORMATTING)
        insert_columns(**kwargs)
        mark(COMMITTING)

    return inserting


def _marking_layout(binary_copy_tuples: Callable[..., bytes], mark: Mark) -> Callable[..., bytes]:
    """The binary COPY stream's layout, marking the start of the COPY once the first chunk's bytes
    are made (later chunks, if any, are laid out while the COPY goes on and count in it)."""

    def laying_out(**kwargs: Any) -> bytes:
        data = binary_copy_tuples(**kwargs)
        mark(COPYING)
        return data

    return laying_out


def _noting_pools(segment_customers: Callable[..., Any], engine_pools: list[dict]) -> Callable[..., Any]:
    """The engine's first phase, noting the thread pools as it returns (still inside its limits)."""

    def segmenting(**kwargs: Any) -> Any:
        result = segment_customers(**kwargs)
        engine_pools.extend(_pools())
        return result

    return segmenting


def _phases(timeline: list[tuple[float, str]], seconds: float) -> dict[str, float]:
    """Seconds spent in each phase, given when each step started (seconds into the run)."""
    starts = [(0.0, "Loading customers"), *timeline]
    ends = [moment for moment, _ in timeline] + [seconds]
    phases = {name: 0.0 for name, _ in PHASES}
    for (start, step), end in zip(starts, ends, strict=True):
        phases[_phase_of(step)] += end - start
    return phases


def _phase_of(step: str) -> str:
    for name, prefixes in PHASES:
        if step.startswith(prefixes):
            return name
    raise ValueError(f"A step the benchmark does not know: {step!r}")


def _run_outcome(run_id: int) -> dict:
    """What the run stored; the benchmark refuses a run that failed or lost a customer."""
    from customers.models import Customer
    from segmentation.models import Assignment, SegmentationRun

    run = SegmentationRun.objects.get(pk=run_id)
    assignments = Assignment.objects.filter(run=run).count()
    customers = Customer.objects.count()
    if run.status != SegmentationRun.Status.SUCCEEDED or assignments != customers:
        raise RuntimeError(
            f"Run {run_id} ended {run.status} ({run.error or 'no error'}) with {assignments:,} "
            f"assignments for {customers:,} customers"
        )
    return {
        "run_id": run.pk,
        "k": run.k,
        "customers": customers,
        "sweep_sample_size": run.k_sweep["sample_size"],
    }


def _threadpools(engine_pools: list[dict]) -> dict:
    """The libraries' versions, their thread pools as the engine ran with them, and the variables
    that set those pools (the service's ENGINE_THREADS; the Celery worker sets none of the others)."""
    import pandas as pd
    import sklearn

    if not engine_pools:
        raise RuntimeError("The engine never ran: no thread pools were recorded")
    return {
        "libraries": {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__},
        "pools": engine_pools,
        "variables": {name: os.environ.get(name) for name in THREAD_VARIABLES},
    }


def _pools() -> list[dict]:
    """This process's thread pools as threadpoolctl sees them now."""
    return [
        {key: pool.get(key) for key in ("user_api", "prefix", "version", "num_threads", "filepath")}
        for pool in threadpool_info()
    ]


def engine_threads() -> int:
    """The threads the engine gets: ENGINE_THREADS, as mallseg.settings reads it."""
    return int(os.environ.get("ENGINE_THREADS", DEFAULT_ENGINE_THREADS))


# THE LOWER BOUND


def bound(run_id: int) -> dict:
    """Time the least any implementation has to do on DATABASE_URL: read the rows, fit once, write them.

    Everything goes through binary COPY straight to and from numpy arrays (no text formatting
    or parsing), K is the one the real run chose (no sweep), there is one plain K-Means fit
    (n_init=1), with as many threads as the engine gets (ENGINE_THREADS), and nothing else: no
    checks, no silhouette, no profiles. The assignments point at the real run and its
    segments, into an empty table shaped exactly like segmentation_assignment (its columns and
    indexes; like it, no foreign keys).
    """
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # after the real run's million writes: keep autovacuum out
        segment_ids = np.array([row[0] for row in conn.execute(_SEGMENT_IDS, (run_id,))], dtype=np.int64)
        conn.execute(f"CREATE TABLE {BOUND_TABLE} (LIKE segmentation_assignment INCLUDING ALL)")
        checkpoint(conn)
        start = time.perf_counter()
        customer_ids, features = _read_customers(conn)
        read_done = time.perf_counter()
        labels, distances, iterations = _fit(features, k=len(segment_ids))
        fit_done = time.perf_counter()
        rows = _assignment_rows(run_id, customer_ids, segment_ids[labels], distances)
        _copy_in(conn, BOUND_TABLE, rows)
        write_done = time.perf_counter()
        _check_count(conn, BOUND_TABLE, len(customer_ids))
    return {
        "seconds": write_done - start,
        "read_seconds": read_done - start,
        "fit_seconds": fit_done - read_done,
        "write_seconds": write_done - fit_done,
        "iterations": iterations,
        "peak_mb": peak_mb(),
    }


def _check_count(conn: psycopg.Connection, table: str, expected: int) -> None:
    written = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if written != expected:
        raise RuntimeError(f"The lower bound wrote {written:,} rows into {table}, expected {expected:,}")


def _read_customers(conn: psycopg.Connection) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Every customer's id and (income, spending) through one binary COPY, parsed as a numpy record array."""
    sql = "COPY customers_customer (id, annual_income, spending_score) TO STDOUT WITH (FORMAT binary)"
    with conn.cursor() as cursor, cursor.copy(sql) as copy:
        blocks = [bytes(block) for block in copy]
    data = b"".join(blocks)
    if not data.startswith(_COPY_SIGNATURE):
        raise RuntimeError("Not PostgreSQL binary COPY output")
    offset = len(_COPY_HEADER) + struct.unpack_from(">i", data, len(_COPY_SIGNATURE) + 4)[0]
    count = (len(data) - offset - len(_COPY_TRAILER)) // _CUSTOMER_ROW.itemsize
    rows = np.frombuffer(data, dtype=_CUSTOMER_ROW, offset=offset, count=count)
    if not (rows["fields"] == 3).all() or data[offset + rows.nbytes :] != _COPY_TRAILER:
        raise RuntimeError("Unexpected layout of the binary COPY output")
    features = np.column_stack([rows["income"], rows["score"]]).astype(np.float64)
    return rows["id"].astype(np.int64), features


def _fit(features: NDArray[np.float64], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64], int]:
    """Standardise, fit one plain K-Means with the engine's threads, and measure each row's distance
    to its centroid."""
    points = (features - features.mean(axis=0)) / features.std(axis=0)
    with threadpool_limits(limits=engine_threads()):
        model = KMeans(n_clusters=k, n_init=1, random_state=0).fit(points)
    distances = np.linalg.norm(points - model.cluster_centers_[model.labels_], axis=1)
    return model.labels_, distances, int(model.n_iter_)


def _assignment_rows(
    run_id: int,
    customer_ids: NDArray[np.int64],
    segment_ids: NDArray[np.int64],
    distances: NDArray[np.float64],
) -> bytes:
    """The assignment rows as one binary COPY stream, built from a numpy record array (placed: false)."""
    rows = np.zeros(len(customer_ids), dtype=_ASSIGNMENT_ROW)
    rows["fields"] = 5
    for column, length in (("run", 8), ("customer", 8), ("segment", 8), ("distance", 8), ("placed", 1)):
        rows[f"{column}_length"] = length
    rows["run_id"], rows["customer_id"], rows["segment_id"] = run_id, customer_ids, segment_ids
    rows["distance"] = distances
    return _COPY_HEADER + rows.tobytes() + _COPY_TRAILER


def _copy_in(conn: psycopg.Connection, table: str, rows: bytes) -> None:
    """Write a binary COPY stream into ``table`` in one transaction; the commit is part of it."""
    sql = f"COPY {table} ({_ASSIGNMENT_COLUMNS}) FROM STDIN WITH (FORMAT binary)"
    with conn.transaction(), conn.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(rows)


# COMMAND LINE


STEPS: dict[str, Step] = {
    "seed": (seed_customers, [("size", int), ("seed", int)]),
    "run": (run, []),
    "bound": (bound, [("run_id", int)]),
}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
