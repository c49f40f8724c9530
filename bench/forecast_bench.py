"""Training and scoring lapse risk and expected spend (#14) at a million customers.

Run from the repository root:

    python bench/forecast_bench.py [--customers 1000000] [--no-readme]

On a fresh, migrated PostgreSQL database with demo customers (seed 1), every customer gets a
purchase history made in SQL (bench/forecast_steps.py: 6 to 16 purchases each, one customer in
four lapsed), then a child process times the whole command a user runs,
``manage.py forecast --sync --json`` (start-up, reading every line, two cut-offs of features,
training and testing both models, scoring every customer, writing the scores; exit), and another
times ``forecast_execute`` in-process, step by step. Targets: the command within 10 minutes and
under 8 GB at a million customers (the worker's heartbeat timeout is 5 minutes per step).
"""

import argparse

import common

README_SECTION = common.ReadmeSection("forecast-bench", heading="## Forecasts: training and scoring")
BENCH_DATABASE = "mallseg_bench_forecast"
SEED = 1
TARGET_SECONDS = 600
MEMORY_LIMIT_MB = 8_000


def report(history: dict, command: dict, call: dict, customers: int, machine: str) -> str:
    outcome = command["outcome"]
    steps = " | ".join(f"{seconds:.1f}" for seconds in call["steps"].values())
    return "\n".join(
        [
            common.measured_on("one run", machine),
            "",
            f"{customers:,} demo customers (seed {SEED}) with {history['lines']:,} purchase lines, "
            f"horizon {outcome['horizon_days']} days, `ENGINE_THREADS=1`. The forecast was published: "
            f"lapse AUC {call['auc']:.2f}, spend error {call['spend_mae']:.2f} against "
            f"{call['baseline_mae']:.2f} for the last period repeating; {call['scored']:,} customers scored.",
            "",
            "| Whole command | Command peak memory | `forecast_execute` | Its peak memory | Before it |",
            "|--:|--:|--:|--:|--:|",
            f"| {command['seconds']:.1f} s | {command['peak_mb']:,.0f} MB | {call['seconds']:.1f} s "
            f"| {call['peak_mb']:,.0f} MB | {call['before_mb']:,.0f} MB |",
            "",
            "Where `forecast_execute`'s time goes (s):",
            "",
            "| " + " | ".join(call["steps"]) + " |",
            "|" + "--:|" * len(call["steps"]),
            f"| {steps} |",
            "",
            "- " + common.verdict("the whole command", command["seconds"], TARGET_SECONDS, " s"),
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
        history = common.run_step("bench.forecast_steps", "history", environment=environment)
        command = common.run_step("bench.forecast_steps", "command", environment=environment)
        call = common.run_step("bench.forecast_steps", "call", environment=environment)
    figures = report(history, command, call, args.customers, machine)
    print(figures, flush=True)
    if not args.no_readme:
        README_SECTION.write(figures)


if __name__ == "__main__":
    main()
