"""Algorithm benchmark: the whole ``segment --sync`` command with each algorithm, at a million customers.

Run from the repository root:

    python bench/algorithm_bench.py [--customers 1000000] [--algorithms kmeans dbscan ...] [--no-readme]

On a fresh, migrated PostgreSQL database seeded with demo customers (seed 1), each algorithm
runs once as a user starts it from a shell: ``manage.py segment --sync --json --algorithm X``
on annual income and spending score, K automatic where the algorithm takes one, in a new
process (start-up, reading the customers, the fit, quality and stability, writing every
assignment). What is timed is that whole command, and its peak memory is the command
process's own. Each algorithm has a budget (time and memory) it must stay within. The figures
are printed and written into bench/README.md between the algorithm-bench markers.
"""

import argparse
from dataclasses import dataclass

import common

MILLION = 1_000_000
BENCH_DATABASE = "mallseg_bench_algorithms"
SEED = 1
FEATURES = "annual_income,spending_score"
MEMORY_BUDGET_MB = 1_000
UNBUDGETED = "A record, not a check: the budgets are for 1,000,000 customers."
# Seconds for the whole command at 1,000,000 customers on the 2-core bench machine.
TIME_BUDGETS = {"kmeans": 40, "dbscan": 40, "hdbscan": 45, "hierarchical": 40, "gmm": 50}


@dataclass(frozen=True)
class Result:
    algorithm: str
    seconds: float
    peak_mb: float
    k: int
    fitted_on: int | None
    outliers: int
    warnings: list[str]
    silhouette: float | None


def measure(algorithm: str, environment: dict[str, str]) -> Result:
    """Run the whole command in a child that reports its own wall time and peak memory."""
    figures = common.run_step(
        "bench.algorithm_steps", "command", algorithm, FEATURES, environment=environment
    )
    outcome = figures["outcome"]
    details = outcome["fit_details"] or {}
    return Result(
        algorithm=algorithm,
        seconds=figures["seconds"],
        peak_mb=figures["peak_mb"],
        k=outcome["k"],
        fitted_on=details.get("fitted_on"),
        outliers=details.get("outliers", 0),
        warnings=[warning["code"] for warning in outcome["warnings"]],
        silhouette=outcome["silhouette"],
    )


def report(results: list[Result], customers: int, machine: str) -> str:
    lines = [
        common.measured_on("one run each", machine),
        "",
        f"{customers:,} demo customers (seed {SEED}), features {FEATURES}, `ENGINE_THREADS=1`.",
        "",
        "| Algorithm | Whole command | Budget | Peak memory | K | Fitted on | Outliers | Silhouette "
        "| Warnings |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        fitted = "every customer" if result.fitted_on is None else f"{result.fitted_on:,}"
        silhouette = "—" if result.silhouette is None else f"{result.silhouette:.2f}"
        lines.append(
            f"| {result.algorithm} | {result.seconds:.1f} s | {budget(result.algorithm, customers)} | "
            f"{result.peak_mb:,.0f} MB | {result.k} | {fitted} | {result.outliers:,} | {silhouette} | "
            f"{', '.join(result.warnings) or 'none'} |"
        )
    checked = verdicts(results) if customers == MILLION else [UNBUDGETED]
    lines += ["", *checked, ""]
    return "\n".join(lines) + "\n"


def budget(algorithm: str, customers: int) -> str:
    return f"{TIME_BUDGETS[algorithm]} s" if customers == MILLION else "—"


def verdicts(results: list[Result]) -> list[str]:
    return [
        line
        for result in results
        for line in (
            common.verdict(
                f"{result.algorithm}, whole command", result.seconds, TIME_BUDGETS[result.algorithm], " s"
            ),
            common.verdict(f"{result.algorithm}, peak memory", result.peak_mb, MEMORY_BUDGET_MB, " MB"),
        )
    ]


def readme_section(customers: int) -> common.ReadmeSection:
    """The million-customer figures have their own section; any other size gets one of its own."""
    if customers == MILLION:
        return common.ReadmeSection("algorithm-bench", heading="## Algorithms at a million customers")
    return common.ReadmeSection(
        f"algorithm-bench-{customers}", heading=f"## Algorithms at {customers:,} customers"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=MILLION)
    parser.add_argument("--algorithms", nargs="+", default=list(TIME_BUDGETS), choices=list(TIME_BUDGETS))
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    common.compile_project()
    with common.seeded_postgres_database(BENCH_DATABASE, customers=args.customers, seed=SEED) as environment:
        results = [measure(algorithm, environment) for algorithm in args.algorithms]
    figures = report(results, args.customers, machine)
    print(figures, flush=True)
    if not args.no_readme:
        readme_section(args.customers).write(figures)


if __name__ == "__main__":
    main()
