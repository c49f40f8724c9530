"""The #12 performance target: the whole ``segment --sync`` command against the floor, at a million.

Run from the repository root:

    python bench/command_bench.py [--customers 1000000] [--no-readme]

On a fresh, migrated PostgreSQL database seeded with demo customers (seed 1), a child process
measures the floor exactly as issue #12 defines it (bench/command_steps.py: COPY the two features
out, a sampled elbow, one K-Means fit, predict, COPY one assignment per customer into a table
with a primary key), then another runs the whole command a user runs,
``manage.py segment --sync --json`` on income and spending (start-up included; see
bench/algorithm_steps.py), and then once more: a re-run, matched to the first run, now active.
The floor's child process is also timed whole (start-up, imports and exit included), for the
fairer comparison with a whole command. Each round starts with no run stored; the figures are
medians of REPEATS rounds, since one run on a shared machine varies by a second or more.
Target: the command within 1.5x the floor, under 1 GB.
The figures are printed and written into bench/README.md between the command-bench markers.
"""

import argparse
import statistics
import time

import common

README_SECTION = common.ReadmeSection("command-bench", heading="## The segment command against its floor")
BENCH_DATABASE = "mallseg_bench_command"
SEED = 1
FEATURES = "annual_income,spending_score"
TARGET_RATIO = 1.5
MEMORY_LIMIT_MB = 1_000
REPEATS = 3


def measure_once(environment: dict[str, str]) -> dict:
    """One round on a book with no run: the floor (also timed as a process), the command, a re-run."""
    common.run_step("bench.command_steps", "forget_runs", environment=environment)
    started = time.perf_counter()
    floor = common.run_step("bench.command_steps", "floor", environment=environment)
    floor["process"] = time.perf_counter() - started
    command, rerun = (
        common.run_step("bench.algorithm_steps", "command", "kmeans", FEATURES, environment=environment)
        for _ in range(2)
    )
    return {"floor": floor, "command": command, "rerun": rerun}


def medians(rounds: list[dict]) -> dict:
    """Each figure's median over the rounds (the floor's steps each on their own), and its range."""

    def spread(values: list[float]) -> dict:
        return {"median": statistics.median(values), "low": min(values), "high": max(values)}

    floors = [round_["floor"] for round_ in rounds]
    return {
        "command": spread([round_["command"]["seconds"] for round_ in rounds]),
        "rerun": spread([round_["rerun"]["seconds"] for round_ in rounds]),
        "floor": spread([floor["floor"] for floor in floors]),
        "process": spread([floor["process"] for floor in floors]),
        "steps": {
            step: statistics.median(floor["seconds"][step] for floor in floors)
            for step in floors[0]["seconds"]
        },
        "peak_mb": max(round_[run]["peak_mb"] for round_ in rounds for run in ("command", "rerun")),
    }


def report(figures: dict, customers: int, machine: str) -> str:
    command, floor, process = figures["command"], figures["floor"], figures["process"]
    steps = figures["steps"]
    ratio = command["median"] / floor["median"]
    process_ratio = command["median"] / process["median"]
    return "\n".join(
        [
            common.measured_on(f"median of {REPEATS} rounds, each a floor, a command and a re-run", machine),
            "",
            f"{customers:,} demo customers (seed {SEED}), K-Means on {FEATURES}, `ENGINE_THREADS=1`.",
            "",
            "| Whole command | Floor | Command ÷ floor | Floor as a process | Command ÷ floor process "
            "| Re-run | Peak memory | Floor: COPY out | elbow | fit | predict | COPY in |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
            f"| {_spread(command)} | {_spread(floor)} | {ratio:.2f}× "
            f"| {_spread(process)} | {process_ratio:.2f}× "
            f"| {_spread(figures['rerun'])} | {figures['peak_mb']:,.0f} MB "
            f"| {steps['copy_out']:.2f} | {steps['elbow']:.2f} | {steps['fit']:.2f} | {steps['predict']:.2f} "
            f"| {steps['copy_in']:.2f} |",
            "",
            "Times in seconds: the median, and in brackets the fastest and slowest round. The re-run is "
            "the same command once the first run is active: it also matches its segments to the "
            "active run's.",
            "",
            "- "
            + common.verdict("the whole command within 1.5× the floor", ratio, TARGET_RATIO, "×", decimals=2),
            "- "
            + common.verdict(
                "the whole command within 1.5× the floor as a process",
                process_ratio,
                TARGET_RATIO,
                "×",
                decimals=2,
            ),
            "- " + common.verdict("the command's peak memory", figures["peak_mb"], MEMORY_LIMIT_MB, " MB"),
            "",
        ]
    )


def _spread(figure: dict) -> str:
    return f"{figure['median']:.2f} ({figure['low']:.2f}–{figure['high']:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    common.compile_project()
    with common.seeded_postgres_database(BENCH_DATABASE, customers=args.customers, seed=SEED) as environment:
        rounds = [measure_once(environment) for _ in range(REPEATS)]
    figures = report(medians(rounds), args.customers, machine)
    print(figures, flush=True)
    if not args.no_readme:
        README_SECTION.write(figures)


if __name__ == "__main__":
    main()
