"""The maths libraries' thread pools are capped even in a process that has not loaded them yet."""

import json
import subprocess
import sys

from django.conf import settings

FRESH_PROCESS = """
import json
from threadpoolctl import threadpool_info
from core.threads import maths_threads_limited
with maths_threads_limited(1):
    from sklearn.cluster import KMeans
    print(json.dumps([[pool["internal_api"], pool["num_threads"]] for pool in threadpool_info()]))
"""


def test_pools_loaded_by_the_first_computation_are_capped_too():
    completed = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "PATH": ""},
    )
    pools = json.loads(completed.stdout)
    assert {api for api, _ in pools} == {"openmp", "openblas"}
    assert all(threads == 1 for _, threads in pools), pools
