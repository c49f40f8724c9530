"""Fault injection, end to end: real Celery workers, a private Redis, PostgreSQL; what happens to each run.

    .venv/bin/python scripts/fault_injection.py [--customers 300000] [--write]

Scenarios, each on a fresh customer book in the database ``mallseg_faults`` (created and
dropped here; PostgreSQL at FAULTS_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432):

1. worker killed: the worker's pool process is SIGKILLed mid-run, as the OOM killer would;
2. broker down: the private Redis is stopped, then a run is started;
3. database drop: every connection of the worker is terminated (pg_terminate_backend) mid-run;
4. same job twice: the run's task is published twice.

For each it prints the run's status, its message and the rows it left (segments,
assignments), and checks the active run did not change. ``--write`` records the table in
docs/fault-injection.md. Exits 1 when a run ends in a state the design does not allow.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "fault-injection.md"
START, END = "<!-- fault-injection:start -->", "<!-- fault-injection:end -->"
SERVER_URL = os.environ.get("FAULTS_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
DATABASE = "mallseg_faults"
HEARTBEAT_TIMEOUT_SECONDS = 10
WAIT_SECONDS = 120


@dataclass
class Outcome:
    scenario: str
    expected: str
    status: str
    message: str
    segments: int
    assignments: int
    active_run_kept: bool
    seconds: float

    @property
    def as_expected(self) -> bool:
        return self.status == self.expected and self.active_run_kept


# PROCESSES: REDIS, WORKERS, DJANGO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A Redis of the script's own, so stopping it never touches the machine's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        wait_for(lambda: _redis_answers(self.port), "the private Redis to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _redis_answers(port: int) -> bool:
    return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0


def start_worker(environment: dict[str, str], log: Path) -> subprocess.Popen:
    """A real worker (prefork, one pool process), as production runs it."""
    command = [sys.executable, "-m", "celery", "-A", "mallseg", "worker", "--concurrency=1", "-l", "INFO"]
    with log.open("w") as output:
        worker = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    wait_for(lambda: "ready." in log.read_text(), "the worker to start")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def pool_process(worker: subprocess.Popen) -> int:
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    return int(children[0])


def wait_for(condition, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Gave up waiting for {what}.")
        time.sleep(0.1)


def environment_for(database_url: str, broker_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mallseg.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "JOB_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT_TIMEOUT_SECONDS),
    }


def fresh_database() -> str:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return f"{SERVER_URL}/{DATABASE}"


def drop_database() -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# SCENARIOS (Django is set up by main() before any of these run)

FEATURES = ["annual_income", "spending_score"]


def run_started(run, progress: int = 10) -> bool:
    run.refresh_from_db()
    return run.status == "running" and run.progress >= progress


def run_finished(run) -> bool:
    run.refresh_from_db()
    return run.is_finished


def outcome(scenario: str, expected: str, run, active_before: int, started: float) -> Outcome:
    from segmentation.models import SegmentationRun

    run.refresh_from_db()
    return Outcome(
        scenario=scenario,
        expected=expected,
        status=run.status,
        message=run.error or run.step,
        segments=run.segments.count(),
        assignments=run.assignments.count(),
        active_run_kept=SegmentationRun.objects.active().pk == active_before,
        seconds=time.monotonic() - started,
    )


def worker_killed(environment: dict[str, str], logs: Path, active: int) -> Outcome:
    from segmentation.services.runs import segmentation_run_start
    from segmentation.services.watchdog import segmentation_runs_fail_stale

    worker = start_worker(environment, logs / "worker-killed.log")
    run = segmentation_run_start(started_by=None, features=FEATURES)
    wait_for(lambda: run_started(run), "the run to reach its K sweep")
    os.kill(pool_process(worker), signal.SIGKILL)
    started = time.monotonic()
    time.sleep(HEARTBEAT_TIMEOUT_SECONDS + 1)
    segmentation_runs_fail_stale()  # what Celery beat does every minute
    stop_worker(worker)
    return outcome("worker's pool process SIGKILLed during the K sweep", "failed", run, active, started)


def broker_down(redis: PrivateRedis, active: int) -> Outcome:
    from core.exceptions import ServiceUnavailable
    from segmentation.models import SegmentationRun
    from segmentation.services.runs import segmentation_run_start

    redis.stop()
    started = time.monotonic()
    try:
        segmentation_run_start(started_by=None, features=FEATURES)
    except ServiceUnavailable:
        scenario = "Redis stopped, then a run started (the caller is refused: ServiceUnavailable)"
    else:
        scenario = "Redis stopped, then a run started (the caller was NOT refused)"
    run = SegmentationRun.objects.latest("pk")
    result = outcome(scenario, "failed", run, active, started)
    redis.start()
    return result


def database_drop(environment: dict[str, str], logs: Path, active: int) -> Outcome:
    from django.db import connection

    from segmentation.services.runs import segmentation_run_start

    worker = start_worker(environment, logs / "database-drop.log")
    run = segmentation_run_start(started_by=None, features=FEATURES)
    wait_for(lambda: run_started(run), "the run to reach its K sweep")
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            [DATABASE, connection.connection.info.backend_pid],
        )
    started = time.monotonic()
    wait_for(lambda: run_finished(run), "the run to end")
    stop_worker(worker)
    return outcome("every worker connection terminated during the K sweep", "failed", run, active, started)


def same_job_twice(environment: dict[str, str], logs: Path, active: int) -> Outcome:
    from segmentation.services.runs import segmentation_run_start
    from segmentation.tasks import execute_segmentation_run

    run = segmentation_run_start(started_by=None, features=FEATURES, enqueue=False)
    execute_segmentation_run.delay(run.pk)
    execute_segmentation_run.delay(run.pk)
    started = time.monotonic()
    worker = start_worker(environment, logs / "same-job-twice.log")
    wait_for(lambda: run_finished(run), "the run to end")
    wait_for(lambda: (logs / "same-job-twice.log").read_text().count("succeeded in") >= 2, "both deliveries")
    stop_worker(worker)
    return outcome("the run's task published twice", "succeeded", run, active, started)


# REPORT


def table(outcomes: list[Outcome]) -> str:
    rows = [
        "| Scenario | Run status (expected) | What the run says | Segments, assignments left "
        "| Active run unchanged | Fault to final state (s) |",
        "|---|---|---|--:|---|--:|",
    ]
    for result in outcomes:
        rows.append(
            f"| {result.scenario} | {result.status} ({result.expected}) | {result.message} "
            f"| {result.segments:,}, {result.assignments:,} | {'yes' if result.active_run_kept else 'NO'} "
            f"| {result.seconds:.1f} |"
        )
    return "\n".join(rows)


def record(section: str) -> None:
    text = DOCUMENT.read_text()
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    DOCUMENT.write_text(f"{before}{START}\n{section}\n{END}{after}")


def prepare(customers: int) -> int:
    """Migrate, seed the customer book and make a first run active; returns its id."""
    from django.core.management import call_command

    from customers.services import customers_seed_demo
    from segmentation.services.execution import segmentation_run_execute
    from segmentation.services.runs import segmentation_run_start

    call_command("migrate", verbosity=0)
    customers_seed_demo(count=customers, seed=11)
    run = segmentation_run_start(started_by=None, features=FEATURES, enqueue=False)
    segmentation_run_execute(run_id=run.pk)
    return run.pk


def run_scenarios(customers: int, redis: PrivateRedis, logs: Path) -> list[Outcome]:
    environment = environment_for(fresh_database(), redis.url)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))  # the project's packages, as manage.py finds them
    import django

    django.setup()
    active = prepare(customers)
    return [
        worker_killed(environment, logs, active),
        broker_down(redis, active),
        database_drop(environment, logs, active),
        same_job_twice(environment, logs, active),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--write", action="store_true", help=f"Record the table in {DOCUMENT.name}.")
    args = parser.parse_args()
    logs = ROOT / "var" / "fault-injection"
    logs.mkdir(parents=True, exist_ok=True)
    redis = PrivateRedis()
    redis.start()
    try:
        outcomes = run_scenarios(args.customers, redis, logs)
    finally:
        redis.stop()
        drop_database()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"Recorded {when} with {args.customers:,} customers (worker logs in var/fault-injection/).\n\n"
    section += table(outcomes)
    print(section)
    if args.write:
        record(section)
    doubled = [o for o in outcomes if o.status == "succeeded" and o.assignments != args.customers]
    if doubled or not all(o.as_expected for o in outcomes):
        sys.exit(1)


if __name__ == "__main__":
    main()
