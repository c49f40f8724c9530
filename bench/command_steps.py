"""Steps of bench/command_bench.py, each run in a fresh interpreter: ``python -m bench.command_steps``.

forget_runs: delete every segmentation run and its assignments, so that the next command is a first run.

floor: the least any segmentation command has to do, as issue #12 defines it, timed step by step
inside this process: COPY the two features out, a sampled elbow (K-Means for K = 2..10 on a
20,000-row sample, the knee by kneed), one K-Means fit with that K, predict every customer, COPY
one assignment per customer into a table with a primary key. The maths run with ENGINE_THREADS
threads, as the command's do.
"""

import io
import os
import time

import numpy as np
import psycopg
from kneed import KneeLocator
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from bench.common import BINARY_COPY_HEADER, BINARY_COPY_TRAILER, Step, peak_mb, run_step_from_command_line

SAMPLE_SIZE = 20_000
# The maths get the command's threads (ENGINE_THREADS, the portal's default 1): a like-for-like floor.
DEFAULT_ENGINE_THREADS = 1
K_RANGE = range(2, 11)
SEED = 42
FLOOR_TABLE = "floor_assignment"
_FLOOR_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("customer_length", ">i4"),
        ("customer_id", ">i8"),
        ("segment_length", ">i4"),
        ("segment", ">i2"),
    ]
)


def floor() -> dict:
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        conn.execute(
            f"CREATE TABLE {FLOOR_TABLE} (customer_id bigint PRIMARY KEY, segment smallint NOT NULL)"
        )
        conn.commit()
        seconds = {}
        started = time.perf_counter()
        ids, features = _copy_out(conn)
        seconds["copy_out"] = _lap(started)
        with threadpool_limits(limits=int(os.environ.get("ENGINE_THREADS", DEFAULT_ENGINE_THREADS))):
            scaled = (features - features.mean(axis=0)) / features.std(axis=0)
            k = _sampled_elbow(scaled)
            seconds["elbow"] = _lap(started) - sum(seconds.values())
            model = KMeans(n_clusters=k, n_init=1, random_state=SEED).fit(scaled)
            seconds["fit"] = _lap(started) - sum(seconds.values())
            labels = model.predict(scaled)
            seconds["predict"] = _lap(started) - sum(seconds.values())
        _copy_in(conn, ids, labels)
        seconds["copy_in"] = _lap(started) - sum(seconds.values())
    return {"k": k, "seconds": seconds, "floor": sum(seconds.values()), "peak_mb": peak_mb()}


def forget_runs() -> dict:
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute("TRUNCATE segmentation_segmentationrun, segmentation_assignment CASCADE")
        conn.execute("CHECKPOINT")
    return {}


def _lap(started: float) -> float:
    return time.perf_counter() - started


def _copy_out(conn: psycopg.Connection) -> tuple[np.ndarray, np.ndarray]:
    buffer = io.BytesIO()
    with conn.cursor().copy(
        "COPY (SELECT id, annual_income, spending_score FROM customers_customer) TO STDOUT WITH (FORMAT csv)"
    ) as copy:
        for block in copy:
            buffer.write(block)
    rows = np.loadtxt(io.BytesIO(buffer.getvalue()), delimiter=",", dtype=np.float64, ndmin=2)
    return rows[:, 0].astype(np.int64), rows[:, 1:]


def _sampled_elbow(scaled: np.ndarray) -> int:
    sample = scaled[
        np.random.default_rng(SEED).choice(len(scaled), size=min(SAMPLE_SIZE, len(scaled)), replace=False)
    ]
    inertias = [KMeans(n_clusters=k, n_init=1, random_state=SEED).fit(sample).inertia_ for k in K_RANGE]
    knee = KneeLocator(list(K_RANGE), inertias, curve="convex", direction="decreasing").knee
    return int(knee or K_RANGE[0])


def _copy_in(conn: psycopg.Connection, ids: np.ndarray, labels: np.ndarray) -> None:
    rows = np.zeros(len(ids), dtype=_FLOOR_ROW)
    rows["fields"], rows["customer_length"], rows["segment_length"] = 2, 8, 2
    rows["customer_id"], rows["segment"] = ids, labels
    sql = f"COPY {FLOOR_TABLE} (customer_id, segment) FROM STDIN WITH (FORMAT binary)"
    with conn.transaction(), conn.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(BINARY_COPY_HEADER + rows.tobytes() + BINARY_COPY_TRAILER)


STEPS: dict[str, Step] = {"floor": (floor, []), "forget_runs": (forget_runs, [])}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
