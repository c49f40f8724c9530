"""The fault scenarios of ``fault_injection.py`` for customer imports.

Each imports the same CSV of new customers (IDs no seeded customer has), so an import that
writes grows the customer book by exactly its row count and one that writes nothing leaves
it as it was. Django is set up by ``fault_injection.main()`` before any of these run.
"""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from fault_harness import (
    HEARTBEAT_TIMEOUT_SECONDS,
    PrivateRedis,
    job_finished,
    pool_process,
    start_worker,
    stop_worker,
    terminate_connections_but,
    wait_for,
)

FILE_NAME = "new-customers.csv"
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


@dataclass
class ImportOutcome:
    scenario: str
    expected: str
    status: str
    message: str
    customers_before: int
    customers_after: int
    expected_added: int
    reported_added: int
    upload_left: bool
    seconds: float

    @property
    def as_expected(self) -> bool:
        grown = self.customers_after - self.customers_before
        return (
            self.status == self.expected
            and grown == self.reported_added == self.expected_added
            and not self.upload_left
        )


@dataclass(frozen=True)
class Baseline:
    """What an import may change, taken before it starts."""

    customers: int
    uploads: frozenset[str]


def customer_file(rows: int) -> bytes:
    lines = (
        f"fault-{n},{'Female' if n % 2 else 'Male'},{20 + n % 50},{15 + n % 120},{1 + n % 100}\n"
        for n in range(rows)
    )
    return (HEADER + "".join(lines)).encode()


def stored_uploads() -> frozenset[str]:
    from customers.models import import_upload_storage

    return frozenset(import_upload_storage().listdir("")[1])


def baseline() -> Baseline:
    from customers.models import Customer

    return Baseline(customers=Customer.objects.count(), uploads=stored_uploads())


def start_import(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from customers.import_jobs import customer_import_start

    upload = SimpleUploadedFile(FILE_NAME, content, content_type="text/csv")
    return customer_import_start(started_by=None, upload=upload)


def import_reading(job) -> bool:
    job.refresh_from_db()
    return job.status == "running" and job.step.startswith("Checked")


def outcome(
    scenario: str, expected: str, job, book: Baseline, expected_added: int, started: float
) -> ImportOutcome:
    from customers.models import Customer

    job.refresh_from_db()
    report = job.outcome_report
    return ImportOutcome(
        scenario=scenario,
        expected=expected,
        status=job.status,
        message=job.error or (report.summary() if report else job.step),
        customers_before=book.customers,
        customers_after=Customer.objects.count(),
        expected_added=expected_added,
        reported_added=report.added if report else 0,
        upload_left=bool(stored_uploads() - book.uploads),
        seconds=time.monotonic() - started,
    )


def worker_killed(environment: dict[str, str], logs: Path, content: bytes) -> ImportOutcome:
    from customers.import_execution import customer_imports_fail_stale

    worker = start_worker(environment, logs / "import-worker-killed.log")
    book = baseline()
    job = start_import(content)
    wait_for(lambda: import_reading(job), "the import to check its first rows")
    os.kill(pool_process(worker), signal.SIGKILL)
    started = time.monotonic()
    time.sleep(HEARTBEAT_TIMEOUT_SECONDS + 1)
    customer_imports_fail_stale()  # what Celery beat does every minute
    stop_worker(worker)
    return outcome("worker's pool process SIGKILLed while reading the file", "failed", job, book, 0, started)


def broker_down(redis: PrivateRedis, content: bytes) -> ImportOutcome:
    from core.exceptions import ServiceUnavailable
    from customers.models import CustomerImport

    redis.stop()
    book = baseline()
    started = time.monotonic()
    try:
        start_import(content)
    except ServiceUnavailable:
        scenario = "Redis stopped, then an import started (the caller is refused: ServiceUnavailable)"
    else:
        scenario = "Redis stopped, then an import started (the caller was NOT refused)"
    job = CustomerImport.objects.latest("pk")
    result = outcome(scenario, "failed", job, book, 0, started)
    redis.start()
    return result


def database_drop(environment: dict[str, str], logs: Path, content: bytes) -> ImportOutcome:
    from django.db import connection

    worker = start_worker(environment, logs / "import-database-drop.log")
    book = baseline()
    job = start_import(content)
    wait_for(lambda: import_reading(job), "the import to check its first rows")
    terminate_connections_but(connection.connection.info.backend_pid)
    started = time.monotonic()
    wait_for(lambda: job_finished(job), "the import to end")
    stop_worker(worker)
    return outcome(
        "every worker connection terminated while reading the file", "failed", job, book, 0, started
    )


def same_job_twice(environment: dict[str, str], logs: Path, content: bytes, rows: int) -> ImportOutcome:
    from customers.tasks import execute_customer_import

    log = logs / "import-same-job-twice.log"
    book = baseline()
    job = start_import(content)  # publishes the task once, no worker running yet
    execute_customer_import.delay(job.pk)
    started = time.monotonic()
    worker = start_worker(environment, log)
    wait_for(lambda: job_finished(job), "the import to end")
    wait_for(lambda: log.read_text().count("succeeded in") >= 2, "both deliveries")
    stop_worker(worker)
    return outcome("the import's task published twice", "succeeded", job, book, rows, started)


def import_scenarios(
    environment: dict[str, str], redis: PrivateRedis, logs: Path, rows: int
) -> list[ImportOutcome]:
    content = customer_file(rows)
    return [
        worker_killed(environment, logs, content),
        broker_down(redis, content),
        database_drop(environment, logs, content),
        same_job_twice(environment, logs, content, rows),
    ]


def imports_table(outcomes: list[ImportOutcome]) -> str:
    rows = [
        "| Scenario | Import status (expected) | What the import says | Customers before → after "
        "| Added (expected) | Upload deleted | Fault to final state (s) |",
        "|---|---|---|--:|--:|---|--:|",
    ]
    for result in outcomes:
        rows.append(
            f"| {result.scenario} | {result.status} ({result.expected}) | {result.message} "
            f"| {result.customers_before:,} → {result.customers_after:,} "
            f"| {result.customers_after - result.customers_before:,} ({result.expected_added:,}) "
            f"| {'NO' if result.upload_left else 'yes'} | {result.seconds:.1f} |"
        )
    return "\n".join(rows)
