"""Purchase benchmark: importing purchase lines, refreshing the behaviour features, a behaviour run.

Run from the repository root:

    python bench/purchase_bench.py [--customers 10000 1000000] [--lines-per-customer 20]
                                   [--repeat 1] [--explain] [--explain-only] [--no-readme]

For each size, generate (once, cached in bench/out/) the customers and a purchase CSV of
LINES-PER-CUSTOMER × CUSTOMERS lines, then, each on a fresh, migrated PostgreSQL database holding
the same customers:

1. the floor: a raw COPY of the same lines, normalised, into a table keyed like customers_purchase;
2. the import call: ``purchases_import(...)`` in a child process, phase by phase;
3. the whole command, ``manage.py import_purchases PATH``, start-up included; then, on the
   database it filled, one GROUP BY over the purchases (the refresh's floor), ``behaviour_refresh()``
   alone, and a segmentation run on recency, frequency and monetary with its lower bound (as
   bench/run_bench.py times runs);
4. with --explain, one more import whose statements run under EXPLAIN (ANALYZE, BUFFERS), the
   plans written to bench/out/ (a diagnosis, not a timing).

Every step runs in a child process (see purchase_steps.py). The figures are printed and written
into bench/README.md between the purchase-bench markers. PostgreSQL is reached through
BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432); the bench database
(mallseg_bench_purchases) is dropped at the end.
"""

import argparse
import dataclasses
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import common
import psycopg
from common import OUT_DIR, README, ROOT

README_SECTION = common.ReadmeSection(
    "purchase-bench", heading="## Purchases: import, behaviour refresh, behaviour run"
)
SEED = 1
BENCH_DATABASE = "mallseg_bench_purchases"
MILLION = 1_000_000
TARGET_LINES = 20_000_000
SWEEP_BASELINE = 10_000  # the size the 1,000,000-customer sweep is compared with
ENGINE_THREADS = "1"  # the portal's default, as bench/run_bench.py measures by default
# The upload limits guard the web form and the workers; the benchmark lifts them so that any size
# can be measured. IMPORT_MAX_ROWS (default 10,000,000) would refuse the 20,000,000-line file.
IMPORT_LIMITS = {"IMPORT_MAX_FILE_MB": "100000", "IMPORT_MAX_ROWS": "1000000000"}
POSTGRES_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "max_wal_size",
    "synchronous_commit",
)


# CHILD PROCESSES


run_step = functools.partial(common.run_step, "bench.purchase_steps")


def child_environment(database_url: str | None) -> dict[str, str]:
    return common.child_environment(database_url, ENGINE_THREADS=ENGINE_THREADS, **IMPORT_LIMITS)


# INPUT


@dataclass(frozen=True)
class BenchFiles:
    customers: Path  # normalised customers with their ids, loaded by COPY (not timed)
    upload: Path  # the purchase CSV a user would import
    rows: Path  # the same lines normalised, no header: the floor's input
    meta: dict  # what the generator wrote: lines, receipts, customers with purchases, time zone


def bench_files(customers: int, lines: int) -> BenchFiles:
    """The input files for this size, generated on first use (keyed by size, seed and time zone)."""
    time_zone = os.environ.get("TIME_ZONE", "UTC")  # mallseg.settings' TIME_ZONE, default UTC
    prefix = OUT_DIR / f"purchases-{customers}c-{lines}l-seed{SEED}-{time_zone.replace('/', '_')}"
    paths = {name: prefix.with_name(prefix.name + suffix) for name, suffix in _SUFFIXES.items()}
    if not paths["meta"].exists():
        print(f"Generating {customers:,} customers and {lines:,} purchase lines into {prefix}.*", flush=True)
        run_step(
            "generate",
            str(customers),
            str(lines),
            str(SEED),
            str(prefix),
            environment=child_environment(None),
        )
    meta = json.loads(paths["meta"].read_text())
    return BenchFiles(customers=paths["customers"], upload=paths["upload"], rows=paths["rows"], meta=meta)


_SUFFIXES = {"customers": ".customers.csv", "upload": ".csv", "rows": ".rows.csv", "meta": ".json"}


@contextmanager
def customer_book(files: BenchFiles) -> Iterator[str]:
    """A fresh, migrated bench database holding the generated customers, for the ``with`` block
    (its DATABASE_URL); dropped at the end."""
    with common.postgres_database(BENCH_DATABASE) as url:
        loaded = run_step("load-customers", str(files.customers), environment=child_environment(url))
        common.check_seeded(loaded, files.meta["customers"])
        yield url


# MEASUREMENTS


@dataclass(frozen=True)
class Result:
    """The figures for one size."""

    customers: int
    lines: int
    with_purchases: int
    upload_mb: float
    load_average: float  # the machine's 1-minute load average as the measurement started
    # the import
    floor_seconds: float
    floor_no_fk_seconds: float
    floor_plain_seconds: float
    command_seconds: float
    command_peak_mb: float
    call_seconds: float
    call_peak_mb: float
    call_setup_peak_mb: float
    phases: Mapping[str, float]
    import_statements: list[dict]
    # the behaviour refresh
    group_by_seconds: float
    refresh_seconds: float
    refresh_receivers_seconds: float
    refresh_statements: list[dict]
    receivers: list[str]
    # the behaviour run
    run_seconds: float
    run_peak_mb: float
    run_setup_peak_mb: float
    run_phases: Mapping[str, float]
    k: int
    segmented: int
    sweep_seconds: float
    sweep_sample_size: int
    bound_seconds: float
    bound_read_seconds: float
    bound_fit_seconds: float
    bound_write_seconds: float
    bound_peak_mb: float
    environment: str

    @property
    def command_ratio(self) -> float:
        return self.command_seconds / self.floor_seconds

    @property
    def call_ratio(self) -> float:
        return self.call_seconds / self.floor_seconds

    @property
    def refresh_ratio(self) -> float:
        return self.refresh_seconds / self.group_by_seconds

    @property
    def refresh_alone_ratio(self) -> float:
        return (self.refresh_seconds - self.refresh_receivers_seconds) / self.group_by_seconds

    @property
    def bound_ratio(self) -> float:
        return self.run_seconds / self.bound_seconds


def measure(files: BenchFiles, explain: bool) -> Result:
    """One measurement: the floor, the import call, then the whole command and what follows on the
    database it filled."""
    meta = files.meta
    load_average = os.getloadavg()[0]
    with customer_book(files) as url:
        floor = run_step("floor", str(files.rows), environment=child_environment(url))
    _check_floor(floor, meta["lines"])
    with customer_book(files) as url:
        call = run_step("import", str(files.upload), environment=child_environment(url))
    _check_report(call, meta["lines"])
    with customer_book(files) as url:
        environment = child_environment(url)
        command = whole_command(files.upload, url)
        _check_stored(url, meta)
        run_step("vacuum", environment=environment)
        group_by = run_step("group-by-floor", environment=environment)
        refreshed = run_step("refresh", environment=environment)
        if (
            group_by["groups"] != meta["customers_with_purchases"]
            or refreshed["customers"] != group_by["groups"]
        ):
            raise RuntimeError(
                f"GROUP BY gave {group_by['groups']:,} rows, the refresh {refreshed['customers']:,}"
            )
        run_step("vacuum", environment=environment)
        run = run_step("behaviour-run", environment=environment)
        bound = run_step("behaviour-bound", str(run["run_id"]), environment=environment)
    if explain:
        with customer_book(files) as url:
            out = OUT_DIR / f"purchases-explain-{meta['customers']}c-{meta['lines']}l.txt"
            run_step("explain", str(files.upload), str(out), environment=child_environment(url))
            print(
                f"EXPLAIN (ANALYZE, BUFFERS) of the import's statements: {out.relative_to(ROOT)}", flush=True
            )
    return Result(
        customers=meta["customers"],
        lines=meta["lines"],
        with_purchases=meta["customers_with_purchases"],
        upload_mb=meta["upload_bytes"] / 1_000_000,
        load_average=load_average,
        floor_seconds=floor["seconds"],
        floor_no_fk_seconds=floor["no_fk_seconds"],
        floor_plain_seconds=floor["plain_seconds"],
        command_seconds=command["seconds"],
        command_peak_mb=command["peak_mb"],
        call_seconds=call["seconds"],
        call_peak_mb=call["peak_mb"],
        call_setup_peak_mb=call["setup_peak_mb"],
        phases=call["phases"],
        import_statements=call["statements"],
        group_by_seconds=group_by["seconds"],
        refresh_seconds=refreshed["seconds"],
        refresh_receivers_seconds=refreshed["receivers_seconds"],
        refresh_statements=refreshed["statements"],
        receivers=refreshed["receivers"],
        run_seconds=run["seconds"],
        run_peak_mb=run["peak_mb"],
        run_setup_peak_mb=run["setup_peak_mb"],
        run_phases=run["phases"],
        k=run["k"],
        segmented=run["segmented"],
        sweep_seconds=run["sweep_seconds"],
        sweep_sample_size=run["sweep_sample_size"],
        bound_seconds=bound["seconds"],
        bound_read_seconds=bound["read_seconds"],
        bound_fit_seconds=bound["fit_seconds"],
        bound_write_seconds=bound["write_seconds"],
        bound_peak_mb=bound["peak_mb"],
        environment=_describe_environment(run["threadpools"]),
    )


def explain_import(files: BenchFiles) -> None:
    """One more import, on a fresh database, with its statements run under EXPLAIN (ANALYZE, BUFFERS):
    the plans go to bench/out/purchases-explain-….txt. A diagnosis, not a timing."""
    meta = files.meta
    with customer_book(files) as url:
        out = OUT_DIR / f"purchases-explain-{meta['customers']}c-{meta['lines']}l.txt"
        run_step("explain", str(files.upload), str(out), environment=child_environment(url))
    print(f"EXPLAIN (ANALYZE, BUFFERS) of the import's statements: {out.relative_to(ROOT)}", flush=True)


def whole_command(upload: Path, url: str) -> dict:
    """Time ``python manage.py import_purchases PATH`` as a user runs it, start-up included, after a
    CHECKPOINT; its peak memory is the command process's own ru_maxrss (from wait4)."""
    with psycopg.connect(url, autocommit=True) as conn:
        common.checkpoint(conn)
    command = [sys.executable, "manage.py", "import_purchases", str(upload)]
    with tempfile.TemporaryFile("w+") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=child_environment(url), stdout=output)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        printed = output.read().strip()
    if process.returncode != 0:
        raise RuntimeError(f"manage.py import_purchases failed ({process.returncode}): {printed}")
    print(f"  manage.py import_purchases: {printed}", flush=True)
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss * 1024 / 1_000_000}


def _check_floor(floor: dict, lines: int) -> None:
    for figure in ("seconds", "no_fk_seconds", "plain_seconds"):
        if floor[f"{figure}_rows"] != lines:
            raise RuntimeError(
                f"The floor's COPY ({figure}) stored {floor[f'{figure}_rows']:,} of {lines:,} lines"
            )


def _check_report(outcome: dict, lines: int) -> None:
    """Timing an import that did not add every line means nothing."""
    expected = {"added": lines, "updated": 0, "skipped": 0}
    if outcome["rejected"] or any(outcome[key] != value for key, value in expected.items()):
        raise RuntimeError(f"Unexpected import report: {outcome['summary']} (expected {expected})")


def _check_stored(url: str, meta: dict) -> None:
    """The command stored every line and every customer's behaviour, and its import row succeeded."""
    with psycopg.connect(url) as conn:
        purchases = conn.execute("SELECT count(*) FROM customers_purchase").fetchone()[0]
        behaviour = conn.execute("SELECT count(*) FROM customers_customerbehaviour").fetchone()[0]
        status = conn.execute(
            "SELECT status FROM customers_customerimport ORDER BY id DESC LIMIT 1"
        ).fetchone()
    expected = (meta["lines"], meta["customers_with_purchases"], ("succeeded",))
    if (purchases, behaviour, status) != expected:
        raise RuntimeError(
            f"The command stored {purchases:,} lines, {behaviour:,} behaviours, import {status}"
        )


# Repeats: the median of each time, the largest peak memory and load average.
_MEDIAN_FIELDS = (
    "floor_seconds", "floor_no_fk_seconds", "floor_plain_seconds", "command_seconds", "call_seconds",
    "group_by_seconds", "refresh_seconds", "refresh_receivers_seconds", "run_seconds", "sweep_seconds",
    "bound_seconds", "bound_read_seconds", "bound_fit_seconds", "bound_write_seconds",
)  # fmt: skip
_MAX_FIELDS = (
    "command_peak_mb", "call_peak_mb", "call_setup_peak_mb", "run_peak_mb", "run_setup_peak_mb",
    "bound_peak_mb", "load_average",
)  # fmt: skip


def median_result(results: list[Result]) -> Result:
    """Combine repeats: the median of each time (phases too), the largest peak memory and load
    average; the slowest statements are the first repeat's."""
    ks = [r.k for r in results]
    if len(set(ks)) > 1:
        print(f"Warning: the repeats' behaviour runs chose different K: {ks}", flush=True)

    def medians(phases: Callable[[Result], Mapping[str, float]]) -> dict[str, float]:
        return {name: statistics.median(phases(r)[name] for r in results) for name in phases(results[0])}

    return dataclasses.replace(
        results[0],
        **{name: statistics.median(getattr(r, name) for r in results) for name in _MEDIAN_FIELDS},
        **{name: max(getattr(r, name) for r in results) for name in _MAX_FIELDS},
        phases=medians(lambda r: r.phases),
        run_phases=medians(lambda r: r.run_phases),
        k=statistics.mode(ks),
    )


def _describe_environment(threadpools: dict) -> str:
    """Library versions and the engine's thread pools, as bench/run_bench.py describes them."""
    import run_bench

    return run_bench.describe_environment(threadpools)


# TARGETS


Figure = Callable[[Mapping[int, Result]], float | None]


def at_target_size(figure: Callable[[Result], float]) -> Figure:
    """The figure at 1,000,000 customers and 20,000,000 lines, or None when this run did not measure it."""

    def at(results: Mapping[int, Result]) -> float | None:
        result = results.get(MILLION)
        return figure(result) if result is not None and result.lines == TARGET_LINES else None

    return at


def sweep_growth(results: Mapping[int, Result]) -> float | None:
    """How many times longer the behaviour run's K sweep takes at 1,000,000 customers than at 10,000."""
    if MILLION not in results or SWEEP_BASELINE not in results:
        return None
    return results[MILLION].sweep_seconds / results[SWEEP_BASELINE].sweep_seconds


AT_SCALE = "1,000,000 customers, 20,000,000 lines"
TARGETS = (
    common.Target(
        f"{AT_SCALE}: the whole import command within 4× the COPY floor",
        limit=4,
        figure=at_target_size(lambda r: r.command_ratio),
        unit="×",
    ),
    common.Target(
        f"{AT_SCALE}: the import call alone within 4× the COPY floor",
        limit=4,
        figure=at_target_size(lambda r: r.call_ratio),
        unit="×",
    ),
    common.Target(
        f"{AT_SCALE}: the whole import command's peak memory under 1 GB",
        limit=1000,
        figure=at_target_size(lambda r: r.command_peak_mb),
        unit=" MB",
    ),
    common.Target(
        f"{AT_SCALE}: behaviour_refresh() within 2× the GROUP BY floor",
        limit=2,
        figure=at_target_size(lambda r: r.refresh_ratio),
        unit="×",
    ),
    common.Target(
        f"{AT_SCALE}: behaviour_refresh() less its receivers (behaviour_refreshed) within 2× the "
        "GROUP BY floor",
        limit=2,
        figure=at_target_size(lambda r: r.refresh_alone_ratio),
        unit="×",
    ),
    common.Target(
        f"{AT_SCALE}: the behaviour run within 3× its lower bound (the run benchmark's target)",
        limit=3,
        figure=at_target_size(lambda r: r.bound_ratio),
        unit="×",
    ),
    common.Target(
        f"{AT_SCALE}: the behaviour run's peak memory under 1.5 GB (the run benchmark's target)",
        limit=1500,
        figure=at_target_size(lambda r: r.run_peak_mb),
        unit=" MB",
    ),
    common.Target(
        "Behaviour run's K sweep flat in N: at 1,000,000 customers within 2× the sweep at 10,000 "
        "(the run benchmark's target)",
        limit=2,
        figure=sweep_growth,
        unit="×",
    ),
)


# REPORT


def _table(header: list[str], aligns: str, rows: list[list[str]]) -> str:
    """A Markdown table; ``aligns`` has one letter per column: l (left) or r (right)."""
    rule = "|" + "|".join("--:" if align == "r" else "---" for align in aligns) + "|"
    return (
        "\n".join(["| " + " | ".join(header) + " |", rule, *("| " + " | ".join(row) + " |" for row in rows)])
        + "\n"
    )


def _size(r: Result) -> list[str]:
    return [f"{r.customers:,}", f"{r.lines:,}"]


def import_table(results: list[Result]) -> str:
    header = [
        "Customers", "Lines", "File (MB)", "Whole command (s)", "Import call (s)", "Lines/s (call)",
        "Floor: COPY (s)", "Command ÷ floor", "Call ÷ floor", "Peak memory, command (MB)",
        "Peak memory, call (MB)", "Before the call (MB)", "COPY without the foreign key (s)",
        "Plain COPY, no keys (s)",
    ]  # fmt: skip
    rows = [
        [
            *_size(r),
            f"{r.upload_mb:,.0f}",
            f"{r.command_seconds:.1f}",
            f"{r.call_seconds:.1f}",
            f"{r.lines / r.call_seconds:,.0f}",
            f"{r.floor_seconds:.1f}",
            f"{r.command_ratio:.1f}×",
            f"{r.call_ratio:.1f}×",
            f"{r.command_peak_mb:.0f}",
            f"{r.call_peak_mb:.0f}",
            f"{r.call_setup_peak_mb:.0f}",
            f"{r.floor_no_fk_seconds:.1f}",
            f"{r.floor_plain_seconds:.1f}",
        ]  # fmt: skip
        for r in results
    ]
    return _table(header, "r" * len(header), rows)


def phases_table(results: list[Result]) -> str:
    phases = list(results[0].phases)
    header = ["Customers", "Lines", *phases, "Import call"]
    rows = [[*_size(r), *(f"{r.phases[p]:.1f}" for p in phases), f"{r.call_seconds:.1f}"] for r in results]
    return _table(header, "r" * len(header), rows)


def statements_table(statements: list[dict], count: int) -> str:
    rows = [[f"`{s['sql'].replace('|', '/')}`", f"{s['seconds']:.1f}"] for s in statements[:count]]
    return _table(["Statement (first 160 characters)", "Seconds"], "lr", rows)


def refresh_table(results: list[Result]) -> str:
    header = [
        "Customers", "Lines", "Customers with purchases", "GROUP BY floor (s)", "behaviour_refresh() (s)",
        "of which receivers (s)", "Refresh ÷ floor", "Less receivers ÷ floor",
        "Refresh inside the import (s)",
    ]  # fmt: skip
    rows = [
        [
            *_size(r),
            f"{r.with_purchases:,}",
            f"{r.group_by_seconds:.1f}",
            f"{r.refresh_seconds:.1f}",
            f"{r.refresh_receivers_seconds:.1f}",
            f"{r.refresh_ratio:.1f}×",
            f"{r.refresh_alone_ratio:.1f}×",
            f"{r.phases['Behaviour refresh']:.1f}",
        ]  # fmt: skip
        for r in results
    ]
    return _table(header, "r" * len(header), rows)


def run_table(results: list[Result]) -> str:
    header = [
        "Customers", "Segmented (with purchases)", "Run (s)", "K", "Lower bound (s)", "Run ÷ bound",
        "Peak memory (MB)", "Before the call (MB)", "K sweep (s)", "Sweep sample", "Bound: read (s)",
        "Bound: fit (s)", "Bound: write (s)",
    ]  # fmt: skip
    rows = [
        [
            f"{r.customers:,}",
            f"{r.segmented:,}",
            f"{r.run_seconds:.2f}",
            str(r.k),
            f"{r.bound_seconds:.2f}",
            f"{r.bound_ratio:.1f}×",
            f"{r.run_peak_mb:.0f}",
            f"{r.run_setup_peak_mb:.0f}",
            f"{r.sweep_seconds:.2f}",
            f"{r.sweep_sample_size:,}",
            f"{r.bound_read_seconds:.2f}",
            f"{r.bound_fit_seconds:.2f}",
            f"{r.bound_write_seconds:.2f}",
        ]  # fmt: skip
        for r in results
    ]
    return _table(header, "r" * len(header), rows)


def run_phases_table(results: list[Result]) -> str:
    phases = list(results[0].run_phases)
    return _table(
        ["Customers", *phases, "Run"],
        "r" + "r" * len(phases) + "r",
        [
            [f"{r.customers:,}", *(f"{r.run_phases[p]:.2f}" for p in phases), f"{r.run_seconds:.2f}"]
            for r in results
        ],
    )


def verdicts(results: list[Result]) -> list[str]:
    by_size = {r.customers: r for r in results}
    return [verdict for target in TARGETS if (verdict := target.verdict(by_size))]


def figures(results: list[Result], found: list[str]) -> str:
    largest = max(results, key=lambda r: r.lines)
    receivers = ", ".join(f"`{name}`" for name in largest.receivers) or "none"
    return (
        f"The import:\n\n{import_table(results)}\n"
        f"Where the import call's time goes (s):\n\n{phases_table(results)}\n"
        f"The import call's slowest SQL statements at {largest.lines:,} lines (s):\n\n"
        f"{statements_table(largest.import_statements, 8)}\n"
        f"The behaviour refresh (receivers of `behaviour_refreshed`: {receivers}):\n\n"
        f"{refresh_table(results)}\n"
        f"`behaviour_refresh()`'s slowest SQL statements at {largest.lines:,} lines (s):\n\n"
        f"{statements_table(largest.refresh_statements, 6)}\n"
        f"The behaviour run (recency_days, frequency, monetary; ENGINE_THREADS={ENGINE_THREADS}):\n\n"
        f"{run_table(results)}\n"
        f"Where the behaviour run's time goes (s):\n\n{run_phases_table(results)}\n"
        + "".join(f"- {verdict}\n" for verdict in found)
    )


def postgres_settings() -> str:
    with psycopg.connect(common.postgres_url("postgres")) as conn:
        values = [f"{name} {conn.execute(f'SHOW {name}').fetchone()[0]}" for name in POSTGRES_SETTINGS]
    return ", ".join(values)


def report_section(results: list[Result], found: list[str], repeat: int) -> str:
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    loads = [r.load_average for r in results]
    environments = "; ".join(dict.fromkeys(r.environment for r in results))
    return (
        f"{common.measured_on(common.repeats_description(repeat), machine)} PostgreSQL settings: "
        f"{postgres_settings()}. The machine's 1-minute load average as each size started: "
        f"{min(loads):.1f} to {max(loads):.1f}. The behaviour run's engine: {environments}.\n\n"
        + figures(results, found)
    )


# COMMAND LINE


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time the purchase import, the behaviour refresh and a behaviour run against floors."
    )
    parser.add_argument("--customers", type=int, nargs="+", default=[SWEEP_BASELINE, MILLION])
    parser.add_argument("--lines-per-customer", type=int, default=TARGET_LINES // MILLION)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--explain", action="store_true", help="also run the import once under EXPLAIN (ANALYZE, BUFFERS)"
    )
    parser.add_argument(
        "--explain-only",
        action="store_true",
        help="only run the import under EXPLAIN (ANALYZE, BUFFERS) for each size; no timing, no README",
    )
    parser.add_argument("--no-readme", action="store_true", help="print the figures only")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.explain_only:
        for size in args.customers:
            explain_import(bench_files(size, size * args.lines_per_customer))
        return

    results = []
    for size in args.customers:
        files = bench_files(size, size * args.lines_per_customer)
        runs = [measure(files, explain=args.explain and repeat == 0) for repeat in range(args.repeat)]
        results.append(median_result(runs))
        _print_progress(results[-1])

    found = verdicts(results)
    print("\n" + figures(results, found))
    if not args.no_readme:
        README_SECTION.write(report_section(results, found, args.repeat))
        print(f"Wrote the figures into {README.relative_to(ROOT)}")


def _print_progress(r: Result) -> None:
    print(
        f"{r.customers:,} customers, {r.lines:,} lines: command {r.command_seconds:.1f} s "
        f"(peak {r.command_peak_mb:.0f} MB), call {r.call_seconds:.1f} s, floor {r.floor_seconds:.1f} s "
        f"({r.command_ratio:.1f}× / {r.call_ratio:.1f}×); refresh {r.refresh_seconds:.1f} s "
        f"(receivers {r.refresh_receivers_seconds:.1f} s), GROUP BY {r.group_by_seconds:.1f} s "
        f"({r.refresh_ratio:.1f}×); behaviour run {r.run_seconds:.2f} s (K={r.k}), "
        f"bound {r.bound_seconds:.2f} s ({r.bound_ratio:.1f}×); load average {r.load_average:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
