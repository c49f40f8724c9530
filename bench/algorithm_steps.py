"""Steps of bench/algorithm_bench.py, each run in a fresh interpreter: ``python -m bench.algorithm_steps``.

command ALGORITHM FEATURES: run ``manage.py segment --sync --json`` with that algorithm as a child
of this process, and report the child's wall time, its peak memory and the run's outcome. This
process does nothing else, so its children's peak memory is the command's own.
"""

import json
import resource
import subprocess
import sys
import time

from bench.common import ROOT, Step, run_step_from_command_line


def command(algorithm: str, features: str) -> dict:
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "segment",
            "--sync",
            "--json",
            "--algorithm",
            algorithm,
            "--features",
            features,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mb": peak_kib / 1024, "outcome": json.loads(completed.stdout)}


STEPS: dict[str, Step] = {"command": (command, [("algorithm", str), ("features", str)])}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
