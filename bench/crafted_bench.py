"""Crafted-file benchmark: files built to stall or exhaust the import, against its hard limits.

Each crafted file (the ones a security review used: a million header columns, a header cell
that stalled the unit pattern, a NUL late in a CSV, a workbook with a row at 10^9, one with
16,384 header columns, one whose shared strings inflate to 1 GB; the workbook ones also
without the dimension tag that declares their size) goes through the real import service in
a fresh process on a migrated SQLite database. The figures are the whole process, start-up
included (what a command-line user waits for), the service call alone, and peak memory.
Every file must be refused.

    python bench/crafted_bench.py [--no-readme]
"""

import argparse
import sqlite3
import sys
import time
from dataclasses import dataclass
from functools import partial

import common
from common import OUT_DIR

run_step = partial(common.run_step, "bench.crafted_steps")
SECTION = common.ReadmeSection("crafted-bench", "## Crafted files")
WHOLE_SECONDS_LIMIT = 60
PEAK_MB_LIMIT = 500


@dataclass(frozen=True)
class Result:
    name: str
    file_bytes: int
    whole_seconds: float
    call_seconds: float
    peak_mb: float
    rejected: bool
    reason: str


def measure(name: str, database_url: str) -> Result:
    path = OUT_DIR / f"crafted-{name}"
    generated = run_step("generate", name, str(path), environment=common.child_environment(None))
    start = time.perf_counter()
    outcome = run_step("import", str(path), environment=common.child_environment(database_url))
    return Result(
        name=name,
        file_bytes=generated["bytes"],
        whole_seconds=time.perf_counter() - start,
        call_seconds=outcome["seconds"],
        peak_mb=outcome["peak_mb"],
        rejected=outcome["rejected"],
        reason=outcome["reason"],
    )


def results_table(results: list[Result]) -> str:
    lines = [
        "| File | Size (KB) | Whole command (s) | Service call (s) | Peak memory (MB) | Refused because |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.name} | {result.file_bytes / 1000:,.1f} | {result.whole_seconds:.2f} "
            f"| {result.call_seconds:.2f} | {result.peak_mb:.0f} | {result.reason.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"


def verdicts(results: list[Result]) -> list[str]:
    found = []
    for result in results:
        found.append(f"{'PASS' if result.rejected else 'FAIL'}: {result.name} is refused")
        whole = f"{result.name}, whole command"
        found.append(common.verdict(whole, result.whole_seconds, WHOLE_SECONDS_LIMIT, " s"))
        found.append(common.verdict(f"{result.name}, peak memory", result.peak_mb, PEAK_MB_LIMIT, " MB"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-readme", action="store_true", help="Print the figures only.")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database = OUT_DIR / "crafted-bench.sqlite3"
    database.unlink(missing_ok=True)
    database_url = common.migrated(f"sqlite:///{database}")
    names = run_step("names", environment=common.child_environment(None))["names"]
    results = []
    for name in names:
        results.append(measure(name, database_url))
        print(f"{name}: {results[-1].whole_seconds:.2f} s, {results[-1].peak_mb:.0f} MB", file=sys.stderr)
    found = verdicts(results)
    machine = common.machine_description([f"SQLite {sqlite3.sqlite_version}"])
    figures = (
        common.measured_on("one run per file, a fresh process each", machine)
        + "\n\n"
        + results_table(results)
        + "\n"
        + "\n".join(f"- {line}" for line in found)
        + "\n"
    )
    print(figures)
    if not args.no_readme:
        SECTION.write(figures)
    if any(line.startswith("FAIL") for line in found):
        sys.exit(1)


if __name__ == "__main__":
    main()
