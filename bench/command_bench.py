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
fairer comparison with a whole command. Target: the command within 1.5x the floor, under 1 GB.
The figures are printed and written into bench/README.md between the command-bench markers.
"""

import argparse
import time

import common

README_SECTION = common.ReadmeSection("command-bench", heading="## The segment command against its floor")
BENCH_DATABASE = "mallseg_bench_command"
SEED = 1
FEATURES = "annual_income,spending_score"
TARGET_RATIO = 1.5
MEMORY_LIMIT_MB = 1_000


def report(floor: dict, command: dict, rerun: dict, customers: int, machine: str) -> str:
    steps = floor["seconds"]
    ratio = command["seconds"] / floor["floor"]
    process_ratio = command["seconds"] / floor["process"]
    return "\n".join(
        [
            common.measured_on("one run", machine),
            "",
            f"{customers:,} demo customers (seed {SEED}), K-Means on {FEATURES}, `ENGINE_THREADS=1`.",
            "",
            "| Whole command | Floor | Command ÷ floor | Floor as a process | Command ÷ floor process "
            "| Command peak memory | Floor: COPY out | elbow | fit | predict | COPY in |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
            f"| {command['seconds']:.2f} s | {floor['floor']:.2f} s | {ratio:.1f}× "
            f"| {floor['process']:.2f} s | {process_ratio:.1f}× "
            f"| {command['peak_mb']:,.0f} MB "
            f"| {steps['copy_out']:.2f} | {steps['elbow']:.2f} | {steps['fit']:.2f} | {steps['predict']:.2f} "
            f"| {steps['copy_in']:.2f} |",
            "",
            f"The same command again, once the first run is active, took {rerun['seconds']:.2f} s "
            f"({rerun['peak_mb']:,.0f} MB): a re-run also matches its segments to the active run's "
            "(customers counted by their segment in both runs, in SQL).",
            "",
            "- " + common.verdict("the whole command within 1.5× the floor", ratio, TARGET_RATIO, "×"),
            "- " + common.verdict("the command's peak memory", command["peak_mb"], MEMORY_LIMIT_MB, " MB"),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    with common.seeded_postgres_database(BENCH_DATABASE, customers=args.customers, seed=SEED) as environment:
        started = time.perf_counter()
        floor = common.run_step("bench.command_steps", "floor", environment=environment)
        floor["process"] = time.perf_counter() - started
        command, rerun = (
            common.run_step("bench.algorithm_steps", "command", "kmeans", FEATURES, environment=environment)
            for _ in range(2)
        )
    figures = report(floor, command, rerun, args.customers, machine)
    print(figures, flush=True)
    if not args.no_readme:
        README_SECTION.write(figures)


if __name__ == "__main__":
    main()
