"""Segmentation run benchmark: a real run, end to end, against the least any run has to do.

Run from the repository root:

    python bench/run_bench.py [--customers 10000 100000 1000000] [--repeat 1] [--no-readme]
                              [--engine-threads 1 2]

For each size, on a fresh, migrated PostgreSQL database seeded with demo customers (seed 1):
time ``segmentation_run_execute`` on a run started as the portal starts one (K chosen
automatically, on income and spending), phase by phase; then, on the same database, time
the lower bound: the rows out by COPY, one plain K-Means fit with the run's K, the
assignments in by COPY. Every step runs in a child process (see run_steps.py) with
ENGINE_THREADS set to each --engine-threads value in turn (default 1, the portal's default):
the threads the service lets the maths libraries use during a run. The figures are printed
and written into bench/README.md between the run-bench markers. PostgreSQL is reached through
BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432); the bench database is
dropped at the end.
"""

import argparse
import functools
import os
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import common
from common import README, ROOT

README_SECTION = common.ReadmeSection("run-bench", heading="## Segmentation run")
SEED = 1
BENCH_DATABASE = "mallseg_bench_run"
MILLION = 1_000_000
SWEEP_BASELINE = 10_000  # the size the 1,000,000-customer sweep is compared with
DEFAULT_ENGINE_THREADS = 1  # ENGINE_THREADS's default in mallseg.settings


def engine_threads_setting(value: str) -> int:
    """An --engine-threads value: a whole number of threads."""
    if not (value.isdigit() and int(value) > 0):
        raise argparse.ArgumentTypeError(f"a number of threads, not {value!r}")
    return int(value)


# CHILD PROCESSES


run_step = functools.partial(common.run_step, "bench.run_steps")


def child_environment(database_url: str, engine_threads: int) -> dict[str, str]:
    """The bench database, and the engine's threads (ENGINE_THREADS)."""
    return common.child_environment(database_url, ENGINE_THREADS=str(engine_threads))


# MEASUREMENTS


@dataclass(frozen=True)
class Result:
    """The figures for one size and number of engine threads."""

    customers: int
    engine_threads: int  # the --engine-threads setting: ENGINE_THREADS in the children
    k: int
    run_seconds: float
    phases: Mapping[str, float]  # the run's seconds by phase, in the run's order
    sweep_seconds: float  # the "Choose K" phase: from "Choosing K" to "Fitting"
    sweep_sample_size: int
    peak_mb: float
    setup_peak_mb: float  # the run child's peak before the call: interpreter, Django, apps
    bound_seconds: float
    bound_read_seconds: float
    bound_fit_seconds: float
    bound_write_seconds: float
    bound_iterations: int
    bound_peak_mb: float
    load_average: float  # the machine's 1-minute load average as the measurement started
    environment: str  # libraries, the engine's thread pools and the thread variables, in the run child

    @property
    def bound_ratio(self) -> float:
        return self.run_seconds / self.bound_seconds


def measure(size: int, engine_threads: int) -> Result:
    """One measurement: seed a fresh database, time the real run, then the lower bound on the same data."""
    load_average = os.getloadavg()[0]
    with common.postgres_database(BENCH_DATABASE) as url:
        environment = child_environment(url, engine_threads)
        common.check_seeded(run_step("seed", str(size), str(SEED), environment=environment), size)
        real = run_step("run", environment=environment)
        bound = run_step("bound", str(real["run_id"]), environment=environment)
    _check_pools(real["threadpools"], engine_threads)
    return Result(
        customers=size,
        engine_threads=engine_threads,
        k=real["k"],
        run_seconds=real["seconds"],
        phases=real["phases"],
        sweep_seconds=real["sweep_seconds"],
        sweep_sample_size=real["sweep_sample_size"],
        peak_mb=real["peak_mb"],
        setup_peak_mb=real["setup_peak_mb"],
        bound_seconds=bound["seconds"],
        bound_read_seconds=bound["read_seconds"],
        bound_fit_seconds=bound["fit_seconds"],
        bound_write_seconds=bound["write_seconds"],
        bound_iterations=bound["iterations"],
        bound_peak_mb=bound["peak_mb"],
        load_average=load_average,
        environment=describe_environment(real["threadpools"]),
    )


def _check_pools(threadpools: dict, engine_threads: int) -> None:
    """Warn when a thread pool inside the engine did not have ENGINE_THREADS threads."""
    others = [pool for pool in threadpools["pools"] if pool["num_threads"] != engine_threads]
    if others:
        pools = "; ".join(map(_describe_pool, others))
        print(f"Warning: with ENGINE_THREADS={engine_threads} the engine ran with {pools}", flush=True)


def median_result(results: list[Result]) -> Result:
    """Combine repeats: the median of each time, the largest peak memory and load average.

    K comes from a seeded sweep, so every repeat should choose the same; if not, the most
    frequent K is kept and a warning names them all.
    """
    ks = [r.k for r in results]
    if len(set(ks)) > 1:
        print(f"Warning: the repeats chose different K for {_label(results[0])}: {ks}", flush=True)

    def median(figure: Callable[[Result], float]) -> float:
        return statistics.median(figure(r) for r in results)

    return Result(
        customers=results[0].customers,
        engine_threads=results[0].engine_threads,
        k=statistics.mode(ks),
        run_seconds=median(lambda r: r.run_seconds),
        phases={phase: median(lambda r, phase=phase: r.phases[phase]) for phase in results[0].phases},
        sweep_seconds=median(lambda r: r.sweep_seconds),
        sweep_sample_size=results[0].sweep_sample_size,
        peak_mb=max(r.peak_mb for r in results),
        setup_peak_mb=max(r.setup_peak_mb for r in results),
        bound_seconds=median(lambda r: r.bound_seconds),
        bound_read_seconds=median(lambda r: r.bound_read_seconds),
        bound_fit_seconds=median(lambda r: r.bound_fit_seconds),
        bound_write_seconds=median(lambda r: r.bound_write_seconds),
        bound_iterations=round(median(lambda r: r.bound_iterations)),
        bound_peak_mb=max(r.bound_peak_mb for r in results),
        load_average=max(r.load_average for r in results),
        environment=results[0].environment,
    )


def describe_environment(threadpools: dict) -> str:
    """One line: library versions, each thread pool inside the engine (threadpoolctl) and the thread
    variables."""
    libraries = ", ".join(f"{name} {version}" for name, version in threadpools["libraries"].items())
    pools = sorted(threadpools["pools"], key=lambda pool: (pool["user_api"] != "openmp", pool["filepath"]))
    variables = threadpools["variables"]
    set_variables = [f"{name}={value}" for name, value in variables.items() if value]
    unset = [name for name, value in variables.items() if not value]
    return (
        f"{libraries}; thread pools inside the engine (threadpoolctl): "
        f"{'; '.join(map(_describe_pool, pools))}; "
        + ", ".join([*set_variables, *([f"{', '.join(unset)} unset"] if unset else [])])
    )


def _describe_pool(pool: dict) -> str:
    """E.g. 'libgomp (OpenMP, shipped with scikit-learn): 2 threads'."""
    version = f" {pool['version']}" if pool["version"] else ""
    api = "OpenMP" if pool["user_api"] == "openmp" else pool["user_api"].upper()
    threads = pool["num_threads"]
    return (
        f"{pool['prefix']}{version} ({api}, shipped with {_package_of(pool['filepath'])}): "
        f"{threads} thread{'s' if threads != 1 else ''}"
    )


def _package_of(library_path: str) -> str:
    """The wheel a bundled library comes with: '.../site-packages/numpy.libs/x.so' -> 'numpy'."""
    folder = Path(library_path).parent.name
    return folder.removesuffix(".libs").replace("_", "-")


# TARGETS


Figure = Callable[[Mapping[int, Result]], float | None]


def at_million(figure: Callable[[Result], float]) -> Figure:
    return lambda results: figure(results[MILLION]) if MILLION in results else None


def sweep_growth(results: Mapping[int, Result]) -> float | None:
    """How many times longer the K sweep takes at 1,000,000 customers than at 10,000."""
    if MILLION not in results or SWEEP_BASELINE not in results:
        return None
    return results[MILLION].sweep_seconds / results[SWEEP_BASELINE].sweep_seconds


TARGETS = (
    common.Target(
        "1,000,000 customers, the run within 3× the lower bound",
        limit=3,
        figure=at_million(lambda result: result.bound_ratio),
        unit="×",
    ),
    common.Target(
        "1,000,000 customers, peak memory under 1.5 GB",
        limit=1500,
        figure=at_million(lambda result: result.peak_mb),
        unit=" MB",
    ),
    common.Target(
        "K sweep flat in N: at 1,000,000 customers within 2× the sweep at 10,000",
        limit=2,
        figure=sweep_growth,
        unit="×",
    ),
)


# REPORT


def results_table(results: list[Result]) -> str:
    header = (
        "| Customers | Engine threads | Run (s) | K | Lower bound (s) | Run ÷ bound | Peak memory (MB) "
        "| Before the call (MB) | K sweep (s) | Sweep sample |\n"
        "|--:|--|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    lines = [
        f"| {r.customers:,} | {threads_label(r)} | {r.run_seconds:.2f} | {r.k} | {r.bound_seconds:.2f} "
        f"| {r.bound_ratio:.1f}× | {r.peak_mb:.0f} | {r.setup_peak_mb:.0f} | {r.sweep_seconds:.2f} "
        f"| {r.sweep_sample_size:,} |"
        for r in results
    ]
    return header + "\n".join(lines) + "\n"


def phases_table(results: list[Result]) -> str:
    """Where the run's time goes, in seconds per phase."""
    phases = list(results[0].phases)
    header = (
        f"| Customers | Engine threads | {' | '.join(phases)} | Run |\n"
        f"|--:|--|{'--:|' * len(phases)}--:|\n"
    )
    lines = [
        f"| {r.customers:,} | {threads_label(r)} | "
        + " | ".join(f"{r.phases[phase]:.2f}" for phase in phases)
        + f" | {r.run_seconds:.2f} |"
        for r in results
    ]
    return header + "\n".join(lines) + "\n"


def bound_table(results: list[Result]) -> str:
    """The lower bound's parts."""
    header = (
        "| Customers | Engine threads | Read, COPY out | Fit | Fit iterations | Write, COPY in | Lower bound "
        "| Peak memory (MB) |\n"
        "|--:|--|--:|--:|--:|--:|--:|--:|\n"
    )
    lines = [
        f"| {r.customers:,} | {threads_label(r)} | {r.bound_read_seconds:.2f} | {r.bound_fit_seconds:.2f} "
        f"| {r.bound_iterations} | {r.bound_write_seconds:.2f} | {r.bound_seconds:.2f} "
        f"| {r.bound_peak_mb:.0f} |"
        for r in results
    ]
    return header + "\n".join(lines) + "\n"


def threads_label(result: Result) -> str:
    """'1 (default)', or '2' when the benchmark set another number."""
    default = " (default)" if result.engine_threads == DEFAULT_ENGINE_THREADS else ""
    return f"{result.engine_threads}{default}"


def all_verdicts(results: list[Result], settings: list[int]) -> list[str]:
    """Every target's verdict for each number of engine threads; named when there are several."""
    verdicts = []
    for setting in settings:
        by_size = {r.customers: r for r in results if r.engine_threads == setting}
        suffix = f" [engine threads: {setting}]" if len(settings) > 1 else ""
        verdicts += [verdict + suffix for target in TARGETS if (verdict := target.verdict(by_size))]
    return verdicts


def figures(results: list[Result], verdicts: list[str]) -> str:
    return (
        f"{results_table(results)}\n"
        f"Where the run's time goes (s):\n\n{phases_table(results)}\n"
        f"The lower bound's parts (s):\n\n{bound_table(results)}\n"
        + "".join(f"- {verdict}\n" for verdict in verdicts)
    )


def report_section(results: list[Result], verdicts: list[str], repeat: int) -> str:
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    environments = "".join(f"- {line}.\n" for line in dict.fromkeys(r.environment for r in results))
    loads = [r.load_average for r in results]
    return (
        f"{common.measured_on(common.repeats_description(repeat), machine)} The machine's 1-minute "
        f"load average as each measurement started: {min(loads):.1f} to {max(loads):.1f}.\n\n"
        f"Libraries and thread pools in the run's engine:\n\n{environments}\n"
        + figures(results, verdicts)
    )


# COMMAND LINE


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time a real segmentation run against the least any run has to do, on PostgreSQL."
    )
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000, MILLION])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-readme", action="store_true", help="print the figures only")
    parser.add_argument(
        "--engine-threads",
        type=engine_threads_setting,
        nargs="+",
        default=[DEFAULT_ENGINE_THREADS],
        help="numbers of threads for the engine's maths libraries (ENGINE_THREADS), measured in turn",
    )
    args = parser.parse_args()

    results = []
    for size in args.customers:
        # Repeats alternate the settings, so that a busy spell on the machine does not hit only one.
        runs = [measure(size, setting) for _ in range(args.repeat) for setting in args.engine_threads]
        for setting in args.engine_threads:
            results.append(median_result([run for run in runs if run.engine_threads == setting]))
            _print_progress(results[-1])

    verdicts = all_verdicts(results, args.engine_threads)
    print("\n" + figures(results, verdicts))
    if not args.no_readme:
        README_SECTION.write(report_section(results, verdicts, args.repeat))
        print(f"Wrote the figures into {README.relative_to(ROOT)}")


def _label(result: Result) -> str:
    return f"{result.customers:,} customers, engine threads {threads_label(result)}"


def _print_progress(result: Result) -> None:
    print(
        f"{_label(result)}: run {result.run_seconds:.2f} s (K={result.k}, "
        f"sweep {result.sweep_seconds:.2f} s), peak {result.peak_mb:.0f} MB; "
        f"lower bound {result.bound_seconds:.2f} s ({result.bound_ratio:.1f}×); "
        f"load average {result.load_average:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
