"""Fault injection, end to end: real Celery workers, a private Redis, PostgreSQL; what happens to each job.

    .venv/bin/python scripts/fault_injection.py [--customers 300000] [--import-rows 600000] [--write]

The scenarios run against one seeded customer book in the database ``mallseg_faults`` (created
and dropped here; PostgreSQL at FAULTS_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432),
first on segmentation runs, then on customer imports (``fault_scenarios_imports.py``) of a CSV of
new customers:

1. worker killed: the worker's pool process is SIGKILLed mid-run or while the import reads
   its file, as the OOM killer would; the watchdog then runs as Celery beat would;
2. broker down: the private Redis is stopped, then a run or an import is started;
3. database drop: every connection of the worker is terminated (pg_terminate_backend) mid-run
   or while the import reads its file;
4. same job twice: the run's or the import's task is published twice.

For each run it prints its status, its message and the rows it left (segments, assignments),
and checks the active run did not change. For each import it prints its status, its message,
the customer count before and after, and whether its stored upload is left. ``--write``
records both tables in docs/fault-injection.md. Exits 1 when a job ends in a state the design
does not allow.
"""

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fault_harness import (
    HEARTBEAT_TIMEOUT_SECONDS,
    ROOT,
    PrivateRedis,
    drop_database,
    environment_for,
    fresh_database,
    job_finished,
    pool_process,
    start_worker,
    stop_worker,
    terminate_connections_but,
    wait_for,
)
from fault_scenarios_imports import ImportOutcome, import_scenarios, imports_table

DOCUMENT = ROOT / "docs" / "fault-injection.md"
START, END = "<!-- fault-injection:start -->", "<!-- fault-injection:end -->"


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


# SCENARIOS (Django is set up by main() before any of these run)

FEATURES = ["annual_income", "spending_score"]


def run_started(run, progress: int = 10) -> bool:
    run.refresh_from_db()
    return run.status == "running" and run.progress >= progress


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
    terminate_connections_but(connection.connection.info.backend_pid)
    started = time.monotonic()
    wait_for(lambda: job_finished(run), "the run to end")
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
    wait_for(lambda: job_finished(run), "the run to end")
    wait_for(lambda: (logs / "same-job-twice.log").read_text().count("succeeded in") >= 2, "both deliveries")
    stop_worker(worker)
    return outcome("the run's task published twice", "succeeded", run, active, started)


# REPORT


def runs_table(outcomes: list[Outcome]) -> str:
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


def run_scenarios(
    customers: int, import_rows: int, redis: PrivateRedis, logs: Path
) -> tuple[list[Outcome], list[ImportOutcome]]:
    uploads = logs / "uploads"
    uploads.mkdir(exist_ok=True)
    environment = environment_for(fresh_database(), redis.url, uploads)
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))  # the project's packages, as manage.py finds them
    import django

    django.setup()
    active = prepare(customers)
    runs = [
        worker_killed(environment, logs, active),
        broker_down(redis, active),
        database_drop(environment, logs, active),
        same_job_twice(environment, logs, active),
    ]
    return runs, import_scenarios(environment, redis, logs, import_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--import-rows", type=int, default=600_000, help="Rows of the imported CSV.")
    parser.add_argument("--write", action="store_true", help=f"Record the table in {DOCUMENT.name}.")
    args = parser.parse_args()
    logs = ROOT / "var" / "fault-injection"
    logs.mkdir(parents=True, exist_ok=True)
    redis = PrivateRedis()
    redis.start()
    try:
        runs, imports = run_scenarios(args.customers, args.import_rows, redis, logs)
    finally:
        redis.stop()
        drop_database()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"Recorded {when} with {args.customers:,} customers and an import file of {args.import_rows:,} "
        f"new customers (worker logs in var/fault-injection/).\n\n"
        f"Runs:\n\n{runs_table(runs)}\n\nImports:\n\n{imports_table(imports)}"
    )
    print(section)
    if args.write:
        record(section)
    doubled = [o for o in runs if o.status == "succeeded" and o.assignments != args.customers]
    if doubled or not all(o.as_expected for o in [*runs, *imports]):
        sys.exit(1)


if __name__ == "__main__":
    main()
