"""The step of bench/sweep_sample_bench.py, in a process of its own: ``python -m bench.sweep_sample_steps``.

compare: on each data set, sweep K from 2 to 10 with each algorithm, seed and sample size, and
report the K each sweep recommends and its mean time. Pure engine (no Django, no database), on
one maths thread like the portal's default.
"""

import time
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from bench.common import Step, run_step_from_command_line
from customers.demo import demo_customer_chunks
from segmentation.engine.choosing_k import sweep_k

SAMPLE_SIZES = (20_000, 10_000, 5_000)
SEEDS = {"kmeans": (1, 2, 3, 7, 42), "gmm": (1, 7, 42)}
SILHOUETTE_SAMPLE_SIZE = 5_000
ROWS = 300_000


def standardised(points: NDArray[np.float64]) -> NDArray[np.float64]:
    return (points - points.mean(axis=0)) / points.std(axis=0)


def demo_book() -> NDArray[np.float64]:
    chunks = demo_customer_chunks(count=1_000_000, seed=1)
    return standardised(
        np.concatenate([chunk[["annual_income", "spending_score"]].to_numpy(float) for chunk in chunks])
    )


def blobs(*, centres: int, spread: float, features: int = 2, seed: int) -> NDArray[np.float64]:
    """ROWS points around ``centres`` random centres, each with its own spread around ``spread``."""
    rng = np.random.default_rng(seed)
    middles = rng.uniform(-10, 10, size=(centres, features))
    spreads = spread * rng.uniform(0.5, 1.5, size=centres)
    which = rng.integers(0, centres, ROWS)
    return standardised(middles[which] + rng.normal(size=(ROWS, features)) * spreads[which, None])


def uniform() -> NDArray[np.float64]:
    return standardised(np.random.default_rng(0).uniform(size=(ROWS, 2)))


DATA_SETS: dict[str, Callable[[], NDArray[np.float64]]] = {
    "demo book, 1,000,000 customers": demo_book,
    **{
        f"{centres} blobs, spread {spread}": (
            lambda centres=centres, spread=spread: blobs(centres=centres, spread=spread, seed=centres)
        )
        for centres in (3, 5, 8)
        for spread in (0.6, 1.2)
    },
    "5 blobs in 3 features": lambda: blobs(centres=5, spread=1.0, features=3, seed=7),
    "uniform (no groups)": uniform,
}
GMM_DATA_SETS = ("demo book, 1,000,000 customers", "3 blobs, spread 0.6", "8 blobs, spread 0.6")


def compare() -> list[dict]:
    rows = []
    with threadpool_limits(limits=1):
        for name, make in DATA_SETS.items():
            points = make()
            for algorithm in ("kmeans", "gmm") if name in GMM_DATA_SETS else ("kmeans",):
                rows.append({"data": name, "algorithm": algorithm, **_sweeps(points, algorithm)})
    return rows


def _sweeps(points: NDArray[np.float64], algorithm: str) -> dict:
    """For each sample size: the K recommended with each seed, and the mean seconds per sweep."""
    chosen, seconds = {}, {}
    for size in SAMPLE_SIZES:
        started = time.perf_counter()
        chosen[size] = [
            sweep_k(
                points=points,
                k_range=(2, 10),
                algorithm=algorithm,
                seed=seed,
                sample_size=size,
                silhouette_sample_size=SILHOUETTE_SAMPLE_SIZE,
            ).recommended_k
            for seed in SEEDS[algorithm]
        ]
        seconds[size] = (time.perf_counter() - started) / len(SEEDS[algorithm])
    return {"chosen": chosen, "seconds": seconds}


STEPS: dict[str, Step] = {"compare": (compare, [])}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
