"""Customer imports through a real Celery worker process and broker, and under their faults.

On the embedded default the broker is the filesystem queue and the database a SQLite file;
in CI's second pass they are Redis and PostgreSQL (see tests/celery_worker.py). The fault
tests kill their own worker, stop a private Redis and terminate their own PostgreSQL backend.
"""

import time
from unittest import mock

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from customers import import_execution
from customers.import_execution import customer_import_execute, customer_imports_fail_stale
from customers.import_jobs import customer_import_start
from customers.models import Customer, CustomerImport
from tests.celery_worker import database_url, manage_in_subprocess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IMPORT_SECONDS = 120
Status = CustomerImport.Status
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


def customer_file(rows: int) -> SimpleUploadedFile:
    lines = (
        f"{n},{'Female' if n % 2 else 'Male'},{20 + n % 50},{15 + n % 120},{1 + n % 100}\n"
        for n in range(rows)
    )
    return SimpleUploadedFile("customers.csv", (HEADER + "".join(lines)).encode(), content_type="text/csv")


def test_an_import_started_in_the_portal_is_executed_by_a_worker(celery_worker):
    job = customer_import_start(started_by=None, upload=customer_file(2_000))

    # The worker records the success with the rows, then deletes the upload: wait for both.
    job = celery_worker.wait_for(
        job, seconds=IMPORT_SECONDS, until=lambda job: job.is_finished and not job.upload
    )

    assert (job.status, job.progress, job.outcome_report.added) == (Status.SUCCEEDED, 100, 2_000), job.error
    assert Customer.objects.count() == 2_000 and not job.upload
    assert "execute_customer_import" in celery_worker.read_text()


def test_an_import_whose_worker_is_killed_writes_nothing_and_the_watchdog_fails_it(celery_worker, settings):
    job = customer_import_start(started_by=None, upload=customer_file(600_000))
    job = celery_worker.wait_for(
        job, seconds=IMPORT_SECONDS, until=lambda job: job.step.startswith("Checked")
    )

    celery_worker.process.kill()
    celery_worker.process.wait(timeout=30)
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 1
    time.sleep(1.5)

    assert customer_imports_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED and "stopped responding" in job.error, job.step
    assert not Customer.objects.exists() and not job.upload


def test_an_import_started_while_the_broker_is_down_fails_at_once_and_says_why(private_redis):
    broker_url, stop_broker = private_redis
    stop_broker()
    start_one_import = (
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from core.exceptions import ServiceUnavailable\n"
        "from customers.import_jobs import customer_import_start\n"
        f"upload = SimpleUploadedFile('a.csv', {(HEADER + '1,Male,30,40,50').encode()!r})\n"
        "try:\n"
        "    customer_import_start(started_by=None, upload=upload)\n"
        "except ServiceUnavailable as error:\n"
        "    print('refused:', error)\n"
    )

    result = manage_in_subprocess("shell", "-c", start_one_import, broker_url=broker_url)

    assert "refused: The job queue cannot be reached" in result.stdout, result.stderr
    job = CustomerImport.objects.get()
    assert job.status == Status.FAILED and job.error.startswith("The job queue cannot be reached")
    assert not job.upload and not Customer.objects.exists()


def test_an_import_whose_database_connection_drops_is_failed_saying_so():
    if connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL (CI's second pass)")
    job = customer_import_start(started_by=None, upload=customer_file(250_000))
    report = import_execution.job_report_progress

    def drop_connection_while_reading(model, job_id, percent, step):
        if step.startswith("Checked"):
            with psycopg.connect(database_url(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        report(model, job_id, percent, step)

    with (
        mock.patch.object(import_execution, "job_report_progress", drop_connection_while_reading),
        pytest.raises(DatabaseError),
    ):
        customer_import_execute(import_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (Status.FAILED, import_execution.DATABASE_LOST)
    assert not Customer.objects.exists() and not job.upload
