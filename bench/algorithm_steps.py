"""Steps of bench/algorithm_bench.py, each run in a fresh interpreter: ``python -m bench.algorithm_steps``.

command ALGORITHM FEATURES: run ``manage.py segment --sync --json`` with that algorithm as a child
of this process, and report the child's wall time, its peak memory and the run's outcome. This
process does nothing else, so its children's peak memory is the command's own.
"""

from bench.common import Step, run_step_from_command_line, timed_manage_command


def command(algorithm: str, features: str) -> dict:
    return timed_manage_command(
        "segment", "--sync", "--json", "--algorithm", algorithm, "--features", features
    )


STEPS: dict[str, Step] = {"command": (command, [("algorithm", str), ("features", str)])}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
