"""Helpers the benchmarks share: child processes, bench databases, targets, the machine line, README sections.

The benchmark scripts (``python bench/X_bench.py``) import this module as ``common``; their
steps, run as ``python -m bench.X_steps`` from the repository root, import ``bench.common``.
It needs only the standard library and psycopg, so importing it costs a step next to nothing.
"""

import argparse
import compileall
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import psycopg

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
OUT_DIR = ROOT / "bench" / "out"  # generated inputs and extra outputs, not committed
POSTGRES_SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# PostgreSQL's binary COPY: a fixed header (signature, flags, header-extension length), then per
# row a field count and, per field, its length and its big-endian value; a -1 field count ends it.
BINARY_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") * 2
BINARY_COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)
# Benchmarks drop and create their databases: only names with this prefix are ever touched.
BENCH_DATABASE_PREFIX = "mallseg_bench"

Results = TypeVar("Results")
# A step of a steps module: its function, and the name and type of each of its command-line arguments.
Step = tuple[Callable[..., dict], Sequence[tuple[str, Callable[[str], Any]]]]


# CHILD PROCESSES


def child_environment(database_url: str | None, **extra: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) pointed at the bench database, plus ``extra`` variables."""
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="mallseg.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-not-used-for-anything-but-this-benchmark",
        **extra,
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def run_step(module: str, *args: str, environment: dict[str, str]) -> dict:
    """Run ``python -m module args`` in a fresh interpreter and return the JSON object it prints last.

    The child's stderr passes through, so a failing step shows its traceback.
    """
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.splitlines()[-1])


def compile_project() -> None:
    """Compile the project's modules to bytecode before a whole command is timed.

    A user's Python writes bytecode on a command's first run and the portal's image compiles it
    when it is built (Dockerfile); this machine sets PYTHONDONTWRITEBYTECODE, which would make
    every timed command compile a few hundred modules again as it starts.
    """
    for directory in ROOT.iterdir():
        if (directory / "__init__.py").exists():
            compileall.compile_dir(directory, quiet=1)


def check_seeded(seeded: dict, size: int) -> None:
    """Refuse to time anything on a database the seeding step did not give all ``size`` customers."""
    if seeded["added"] != size:
        raise RuntimeError(f"Seeding {size:,} customers added {seeded['added']:,}")


# IN A STEP


def run_step_from_command_line(doc: str, steps: Mapping[str, Step]) -> None:
    """A steps module's command line: run the step it names and print its result as one line of JSON."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    step_parsers = parser.add_subparsers(dest="step", required=True)
    for name, (_, arguments) in steps.items():
        step_parser = step_parsers.add_parser(name)
        for argument, argument_type in arguments:
            step_parser.add_argument(argument, type=argument_type)
    args = vars(parser.parse_args())
    function, arguments = steps[args["step"]]
    print(json.dumps(function(*(args[argument] for argument, _ in arguments))))


def timed_manage_command(*arguments: str, prints_json: bool = True) -> dict:
    """Run ``manage.py arguments`` as a child of this process and report its wall time, its peak
    memory and what it prints (as JSON when it ``prints_json``, else its text). Call it from a step
    process that does nothing else, so that its children's peak memory is the command's own."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    outcome = json.loads(completed.stdout) if prints_json else completed.stdout.strip()
    return {"seconds": seconds, "peak_mb": peak_kib / 1024, "outcome": outcome}


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1_000_000


def checkpoint(conn: psycopg.Connection) -> None:
    """Flush earlier writes (the migration, a previous load) so they do not land in the timing."""
    conn.execute("CHECKPOINT")


# DATABASES


def migrated(database_url: str) -> str:
    """Apply every migration to the database at ``database_url``; return the URL."""
    environment = child_environment(database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True)
    return database_url


def postgres_url(name: str) -> str:
    return f"{POSTGRES_SERVER_URL}/{name}"


@contextmanager
def postgres_database(name: str, *, keep: bool = False) -> Iterator[str]:
    """A fresh, migrated bench database ``name`` for the ``with`` block (its DATABASE_URL),
    dropped at the end unless ``keep``."""
    try:
        yield migrated(create_postgres_database(name))
    finally:
        if keep:
            print(f"Kept the database {name} ({postgres_url(name)})", flush=True)
        else:
            drop_postgres_database(name)


@contextmanager
def seeded_postgres_database(name: str, *, customers: int, seed: int) -> Iterator[dict[str, str]]:
    """A fresh, migrated bench database ``name`` with ``customers`` demo customers for the ``with``
    block; yields the children's environment (one engine thread, the portal's default)."""
    with postgres_database(name) as database_url:
        environment = child_environment(database_url, ENGINE_THREADS="1")
        seeded = run_step("bench.run_steps", "seed", str(customers), str(seed), environment=environment)
        check_seeded(seeded, customers)
        yield environment


def create_postgres_database(name: str) -> str:
    """Drop and create the bench database ``name``; return its URL."""
    drop_postgres_database(name)
    _admin(f"CREATE DATABASE {_bench_name(name)}")
    return postgres_url(name)


def drop_postgres_database(name: str) -> None:
    _admin(f"DROP DATABASE IF EXISTS {_bench_name(name)} WITH (FORCE)")


def postgres_version() -> str:
    with psycopg.connect(postgres_url("postgres")) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def _bench_name(name: str) -> str:
    """``name`` itself, once it is known to be a bench database's: nothing else is ever dropped."""
    if not (name.startswith(BENCH_DATABASE_PREFIX) and name.isidentifier()):
        raise ValueError(f"Benchmarks only create and drop {BENCH_DATABASE_PREFIX}… databases, not {name!r}")
    return name


def _admin(sql: str) -> None:
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


# TARGETS


@dataclass(frozen=True)
class Target(Generic[Results]):
    """A figure to stay within, computed from a benchmark's results."""

    description: str
    limit: float
    figure: Callable[[Results], float | None]  # None when the run did not measure what the target needs
    unit: str

    def verdict(self, results: Results) -> str | None:
        """'PASS …' or 'FAIL …', or None when this run did not measure the target's case."""
        value = self.figure(results)
        return None if value is None else verdict(self.description, value, self.limit, self.unit)


def verdict(
    description: str, value: float, limit: float, unit: str, *, passes: bool | None = None, decimals: int = 1
) -> str:
    """'PASS: …' or 'FAIL: …' with the figure and its limit; by default at or under the limit passes."""
    outcome = "PASS" if (value <= limit if passes is None else passes) else "FAIL"
    return f"{outcome}: {description}: {value:,.{decimals}f}{unit} (limit {limit:g}{unit})"


# REPORT


def measured_on(conditions: str, machine: str) -> str:
    """A README section's first sentence: when, with which command and how it was measured, on what."""
    measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Measured {measured} with `{command_line()}` ({conditions}) on: {machine}."


def command_line() -> str:
    """The command that runs this benchmark again, from the repository root."""
    script = Path(sys.argv[0]).resolve().relative_to(ROOT)
    return " ".join(["python", str(script), *sys.argv[1:]])


def repeats_description(repeat: int) -> str:
    """How the figures of ``repeat`` runs were combined."""
    return "one run" if repeat == 1 else f"medians of {repeat} runs, largest peak memory"


def machine_description(versions: Iterable[str]) -> str:
    """CPU, cores, memory, the given software versions and Python's, on one line."""
    cpu = proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    mem_kib = int(proc_field("/proc/meminfo", "MemTotal").split()[0])
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kib / 2**20:.1f} GiB RAM; {', '.join(versions)}; "
        f"Python {platform.python_version()}"
    )


def proc_field(path: str, key: str) -> str:
    """The value of the first ``key: value`` line of a /proc file, or ''."""
    for line in Path(path).read_text().splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return ""


@dataclass(frozen=True)
class ReadmeSection:
    """A benchmark's section of bench/README.md: its heading, and its figures between two markers."""

    name: str  # the markers are <!-- name:start --> and <!-- name:end -->
    heading: str

    def write(self, figures: str) -> None:
        """Replace what lies between the markers, keeping the rest of the file.

        Without the markers, the section is appended under its heading.
        """
        start_marker, end_marker = f"<!-- {self.name}:start -->", f"<!-- {self.name}:end -->"
        text = README.read_text() if README.exists() else ""
        block = f"{start_marker}\n{figures}{end_marker}"
        if start_marker in text and end_marker in text:
            before, rest = text.split(start_marker, 1)
            after = rest.split(end_marker, 1)[1]
            text = before + block + after
        else:
            text = text.rstrip("\n") + ("\n\n" if text else "") + f"{self.heading}\n\n{block}\n"
        README.write_text(text)
