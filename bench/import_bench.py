"""Customer import benchmark: the real import service against the database's bulk-load floor.

Run from the repository root:

    python bench/import_bench.py [--rows 100000 1000000] [--databases sqlite postgres] [--repeat 1]

For each database and size: generate (once, cached in bench/out/) a Mall Customers CSV of
synthetic customers; on a fresh, migrated database time ``customers_import`` on it, then
again on the same file (every row unchanged: the upsert path); on another fresh database
time the floor, a raw bulk load of the same rows. Every timed step runs in a child process
(see import_steps.py). The figures are printed and written into bench/README.md between
the import-bench markers. PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432); the bench database is dropped at the end.
"""

import argparse
import sqlite3
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import common
from common import OUT_DIR, README, ROOT

README_SECTION = common.ReadmeSection("import-bench", heading="## Customer import")
SEED = 1
BENCH_DATABASE = "mallseg_bench_import"
# The upload limit guards the web form; the benchmark lifts it so any size can be measured.
IMPORT_MAX_FILE_MB = "100000"


# DATABASES


class SQLiteDatabase:
    """A database file under bench/out/, recreated for every measurement."""

    name = "sqlite"
    label = "SQLite"
    path = OUT_DIR / f"{BENCH_DATABASE}.sqlite3"

    def create(self) -> str:
        """Start from no file at all; return the DATABASE_URL."""
        self.drop()
        return f"sqlite:///{self.path}"

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def floor_step(self, rows_path: Path) -> list[str]:
        return ["sqlite-floor", str(rows_path), str(self.path)]

    def version(self) -> str:
        return sqlite3.sqlite_version


class PostgresDatabase:
    """The ``mallseg_bench_import`` database on the bench server, recreated for every measurement."""

    name = "postgres"
    label = "PostgreSQL"
    url = common.postgres_url(BENCH_DATABASE)

    def create(self) -> str:
        """Drop and create the database; return the DATABASE_URL."""
        return common.create_postgres_database(BENCH_DATABASE)

    def drop(self) -> None:
        common.drop_postgres_database(BENCH_DATABASE)

    def floor_step(self, rows_path: Path) -> list[str]:
        return ["postgres-floor", str(rows_path), self.url]

    def version(self) -> str:
        return common.postgres_version()


Database = SQLiteDatabase | PostgresDatabase
DATABASES: dict[str, Database] = {db.name: db for db in (SQLiteDatabase(), PostgresDatabase())}


# CHILD PROCESSES


def run_step(*args: str, database_url: str | None = None) -> dict:
    """Run one step of import_steps.py in a fresh interpreter and return its JSON result."""
    environment = common.child_environment(database_url, IMPORT_MAX_FILE_MB=IMPORT_MAX_FILE_MB)
    return common.run_step("bench.import_steps", *args, environment=environment)


def fresh_database(database: Database) -> str:
    """An empty database with every migration applied; returns its DATABASE_URL."""
    return common.migrated(database.create())


# MEASUREMENTS


@dataclass(frozen=True)
class BenchFiles:
    upload: Path  # Mall Customers layout, as a user would upload it
    rows: Path  # the same rows normalised, no header: the floor's input


@dataclass(frozen=True)
class Result:
    """The figures for one database and size."""

    database: Database
    rows: int
    import_seconds: float
    reimport_seconds: float
    peak_mb: float
    setup_peak_mb: float  # the same process's peak before the call: interpreter, Django, apps
    floor_seconds: float
    plain_floor_seconds: float | None  # PostgreSQL only

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.import_seconds

    @property
    def floor_ratio(self) -> float:
        return self.import_seconds / self.floor_seconds


def bench_files(size: int) -> BenchFiles:
    """The benchmark's input files for ``size`` rows, generated on first use."""
    files = BenchFiles(
        upload=OUT_DIR / f"customers-{size}-seed{SEED}.csv",
        rows=OUT_DIR / f"customers-{size}-seed{SEED}.rows.csv",
    )
    if not (files.upload.exists() and files.rows.exists()):
        print(f"Generating {size:,} customers into {files.upload.relative_to(ROOT)}", flush=True)
        run_step("generate", str(size), str(SEED), str(files.upload), str(files.rows))
    return files


def measure(database: Database, size: int, files: BenchFiles) -> Result:
    """One measurement: the floor, the first import and the re-import, each in a fresh process."""
    try:
        floor = run_step(*database.floor_step(files.rows), database_url=fresh_database(database))
        url = fresh_database(database)
        first = _checked_import(files.upload, url, expected={"added": size})
        second = _checked_import(files.upload, url, expected={"unchanged": size})
    finally:
        database.drop()
    return Result(
        database=database,
        rows=size,
        import_seconds=first["seconds"],
        reimport_seconds=second["seconds"],
        peak_mb=first["peak_mb"],
        setup_peak_mb=first["setup_peak_mb"],
        floor_seconds=floor["seconds"],
        plain_floor_seconds=floor.get("plain_seconds"),
    )


def _checked_import(upload: Path, database_url: str, *, expected: dict[str, int]) -> dict:
    """Run the import step and insist on the expected report: timing a failed import means nothing."""
    outcome = run_step("import", str(upload), database_url=database_url)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "skipped": 0} | expected
    if outcome["rejected"] or any(outcome[key] != value for key, value in counts.items()):
        raise RuntimeError(f"Unexpected import report: {outcome['summary']} (expected {expected})")
    return outcome


def median_result(results: list[Result]) -> Result:
    """Combine repeats: the median of each time, the largest peak memory."""
    median = statistics.median
    plain = [r.plain_floor_seconds for r in results if r.plain_floor_seconds is not None]
    return Result(
        database=results[0].database,
        rows=results[0].rows,
        import_seconds=median([r.import_seconds for r in results]),
        reimport_seconds=median([r.reimport_seconds for r in results]),
        peak_mb=max(r.peak_mb for r in results),
        setup_peak_mb=max(r.setup_peak_mb for r in results),
        floor_seconds=median([r.floor_seconds for r in results]),
        plain_floor_seconds=median(plain) if plain else None,
    )


# TARGETS


def at(database: str, rows: int, figure: Callable[[Result], float]) -> Callable[[list[Result]], float | None]:
    """The figure of the result for this database and size, or None when the run did not measure it."""
    return lambda results: next(
        (figure(r) for r in results if (r.database.name, r.rows) == (database, rows)), None
    )


TARGETS = (
    common.Target(
        "PostgreSQL, 1,000,000 rows, within 4× the COPY floor",
        limit=4,
        figure=at("postgres", 1_000_000, lambda result: result.floor_ratio),
        unit="×",
    ),
    common.Target(
        "PostgreSQL, 1,000,000 rows, peak memory under 500 MB",
        limit=500,
        figure=at("postgres", 1_000_000, lambda result: result.peak_mb),
        unit=" MB",
    ),
    common.Target(
        "SQLite, 1,000,000 rows, under 20 s",
        limit=20,
        figure=at("sqlite", 1_000_000, lambda result: result.import_seconds),
        unit=" s",
    ),
)


# REPORT


def results_table(results: list[Result]) -> str:
    header = (
        "| Database | Rows | Import (s) | Rows/s | Floor (s) | Import ÷ floor | Peak memory (MB) "
        "| Before the call (MB) | Re-import, all unchanged (s) | Plain COPY, no keys (s) |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    lines = [
        f"| {r.database.label} | {r.rows:,} | {r.import_seconds:.2f} | {r.rows_per_second:,.0f} "
        f"| {r.floor_seconds:.2f} | {r.floor_ratio:.1f}× | {r.peak_mb:.0f} | {r.setup_peak_mb:.0f} "
        f"| {r.reimport_seconds:.2f} "
        f"| {'—' if r.plain_floor_seconds is None else f'{r.plain_floor_seconds:.2f}'} |"
        for r in results
    ]
    return header + "\n".join(lines) + "\n"


def machine_description(databases: list[Database]) -> str:
    return common.machine_description(f"{database.label} {database.version()}" for database in databases)


def report_section(results: list[Result], verdicts: list[str], repeat: int) -> str:
    databases = list({id(r.database): r.database for r in results}.values())
    return (
        f"{common.measured_on(common.repeats_description(repeat), machine_description(databases))}\n\n"
        f"{results_table(results)}\n" + "".join(f"- {verdict}\n" for verdict in verdicts)
    )


# COMMAND LINE


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time the customer import against the database's bulk-load floor."
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", choices=list(DATABASES), default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-readme", action="store_true", help="print the figures only")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    results = []
    for size in args.rows:
        files = bench_files(size)
        for name in args.databases:
            runs = [measure(DATABASES[name], size, files) for _ in range(args.repeat)]
            results.append(median_result(runs))
            _print_progress(results[-1])

    verdicts = [verdict for target in TARGETS if (verdict := target.verdict(results))]
    print("\n" + results_table(results) + "\n" + "\n".join(verdicts))
    if not args.no_readme:
        README_SECTION.write(report_section(results, verdicts, args.repeat))
        print(f"\nWrote the figures into {README.relative_to(ROOT)}")


def _print_progress(result: Result) -> None:
    plain = "" if result.plain_floor_seconds is None else f" (no keys {result.plain_floor_seconds:.2f} s)"
    print(
        f"{result.database.label} {result.rows:,} rows: import {result.import_seconds:.2f} s, "
        f"re-import {result.reimport_seconds:.2f} s, peak {result.peak_mb:.0f} MB "
        f"({result.setup_peak_mb:.0f} MB before the call); "
        f"floor {result.floor_seconds:.2f} s{plain}",
        flush=True,
    )


if __name__ == "__main__":
    main()
