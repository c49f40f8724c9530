"""Helpers the benchmarks share: child processes, bench databases, the machine line, README sections.

The benchmark scripts (``python bench/X_bench.py``) import this module as ``common``; their
steps, run as ``python -m bench.X_steps`` from the repository root, import ``bench.common``.
It needs only the standard library and psycopg, so importing it costs a step next to nothing.
"""

import json
import os
import platform
import resource
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
POSTGRES_SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# Benchmarks drop and create their databases: only names with this prefix are ever touched.
BENCH_DATABASE_PREFIX = "mallseg_bench"


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


def migrate(environment: dict[str, str]) -> None:
    """Apply every migration to the database the environment points at."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True)


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1_000_000


def checkpoint(conn: psycopg.Connection) -> None:
    """Flush earlier writes (the migration, a previous load) so they do not land in the timing."""
    conn.execute("CHECKPOINT")


# POSTGRESQL


def postgres_url(name: str) -> str:
    return f"{POSTGRES_SERVER_URL}/{name}"


def create_postgres_database(name: str) -> str:
    """Drop and create the bench database ``name``; return its URL."""
    drop_postgres_database(name)
    _admin(f"CREATE DATABASE {_bench_name(name)}")
    return postgres_url(name)


def fresh_postgres_database(name: str) -> str:
    """An empty bench database with every migration applied; returns its DATABASE_URL."""
    url = create_postgres_database(name)
    migrate(child_environment(url))
    return url


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


# REPORT


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


def verdict(description: str, value: float, limit: float, unit: str, *, passes: bool | None = None) -> str:
    """'PASS: …' or 'FAIL: …' with the figure and its limit; by default at or under the limit passes."""
    outcome = "PASS" if (value <= limit if passes is None else passes) else "FAIL"
    return f"{outcome}: {description}: {value:,.1f}{unit} (limit {limit:g}{unit})"


def write_readme_section(*, start_marker: str, end_marker: str, heading: str, section: str) -> None:
    """Replace what lies between the markers in bench/README.md, keeping the rest of the file.

    Without the markers, the section is appended under ``heading``.
    """
    text = README.read_text() if README.exists() else ""
    block = f"{start_marker}\n{section}{end_marker}"
    if start_marker in text and end_marker in text:
        before, rest = text.split(start_marker, 1)
        after = rest.split(end_marker, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + f"{heading}\n\n{block}\n"
    README.write_text(text)
