"""The maths libraries' thread pools are capped even in a process that has not loaded them yet, and
in a computation run in the background."""

import json
import subprocess
import sys
import threading

import pytest
from django.conf import settings

from core.threads import computed_in_background

FRESH_PROCESS = """
import json
from threadpoolctl import threadpool_info
from core.threads import maths_threads_limited
with maths_threads_limited(1):
    from sklearn.cluster import KMeans
    print(json.dumps([[pool["internal_api"], pool["num_threads"]] for pool in threadpool_info()]))
"""


BACKGROUND_IN_A_FRESH_PROCESS = """
import json
from threadpoolctl import threadpool_info
from core.threads import computed_in_background
with computed_in_background(threadpool_info, threads=1) as pools:
    print(json.dumps([[pool["internal_api"], pool["num_threads"]] for pool in pools.result()]))
"""


def test_pools_loaded_by_the_first_computation_are_capped_too():
    pools = _pools_in_a_fresh_process(FRESH_PROCESS)
    assert {api for api, _ in pools} == {"openmp", "openblas"}
    assert all(threads == 1 for _, threads in pools), pools


def _pools_in_a_fresh_process(program: str) -> list[list]:
    completed = subprocess.run(
        [sys.executable, "-c", program],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "PATH": ""},
    )
    return json.loads(completed.stdout)


def test_a_background_computation_runs_while_the_block_does_and_is_waited_for():
    started, released = threading.Event(), threading.Event()

    def compute() -> str:
        started.set()
        released.wait(timeout=10)
        return "measured"

    with computed_in_background(compute, threads=1) as computed:
        assert started.wait(timeout=10) and not computed.done()
        released.set()
    assert computed.done() and computed.result() == "measured"


def test_a_background_computation_runs_with_its_maths_capped():
    """In a fresh process, as a worker runs it: pools other tests loaded do not blur the answer."""
    pools = _pools_in_a_fresh_process(BACKGROUND_IN_A_FRESH_PROCESS)
    assert {api for api, _ in pools} == {"openmp", "openblas"}
    assert all(threads == 1 for _, threads in pools), pools


def test_a_background_computation_raises_its_error_where_its_result_is_asked_for():
    def compute() -> None:
        raise ArithmeticError("the stability resamples diverged")

    with (
        computed_in_background(compute, threads=1) as computed,
        pytest.raises(ArithmeticError, match="diverged"),
    ):
        computed.result()
