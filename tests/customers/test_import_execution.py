"""Running a customer import (customers.import_execution): on a worker or in the command's own
process; progress outside any transaction; the job succeeding with the rows or nothing written;
faults (time limit, lost upload, lost database, internal error), interruptions and the watchdog."""

import dataclasses
import sqlite3
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.utils import timezone

from customers import import_execution, import_kinds
from customers.import_execution import (
    customer_import_execute,
    customer_import_run_here,
    customer_imports_fail_stale,
)
from customers.import_jobs import customer_import_start
from customers.models import Customer, CustomerImport, ImportKind

pytestmark = pytest.mark.django_db
Status = CustomerImport.Status
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"
TWO_ROWS = HEADER + "1,Female,30,40,50\n2,Male,31,41,51\n"


def queued(text: str = TWO_ROWS, **options) -> CustomerImport:
    upload = SimpleUploadedFile("march.csv", text.encode(), content_type="text/csv")
    return customer_import_start(started_by=None, upload=upload, **options)


def customers_importer_raising(error: Exception):
    """The customers' importer replaced by one that raises ``error``."""
    failing = dataclasses.replace(
        import_kinds.importer_of(ImportKind.CUSTOMERS), run=mock.Mock(side_effect=error)
    )
    return mock.patch.dict(import_kinds._importers, {ImportKind.CUSTOMERS: failing})


def executed(job: CustomerImport) -> CustomerImport:
    customer_import_execute(import_id=job.pk)
    job.refresh_from_db()
    return job


def test_an_import_succeeds_with_its_report_and_its_upload_deleted():
    job = queued()
    stored = job.upload.name

    job = executed(job)

    assert (job.status, job.progress, job.step) == (Status.SUCCEEDED, 100, "Done")
    assert job.outcome_report.added == 2 and job.finished_at >= job.started_at
    assert Customer.objects.count() == 2
    assert not job.upload and not CustomerImport.upload.field.storage.exists(stored)


def test_a_refused_file_fails_with_its_report_and_writes_nothing():
    job = executed(queued(HEADER + "1,Robot,30,40,50\n"))

    assert job.status == Status.FAILED and job.error.startswith("march.csv: nothing imported.")
    [issue] = job.outcome_report.issues
    assert (issue.row, issue.column, issue.value) == (2, "Gender", "Robot")
    assert not Customer.objects.exists() and not job.upload


def test_executing_the_same_import_twice_imports_once():
    job = queued()

    executed(job)
    customer_import_execute(import_id=job.pk)  # a redelivered message

    job.refresh_from_db()
    assert job.outcome_report.added == 2 and Customer.objects.count() == 2


# transaction=True: the test itself must hold no transaction either.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_and_heartbeat_are_reported_and_reading_holds_no_transaction():
    job = queued()
    seen = []
    original = import_execution.job_report_progress

    def spy(model, job_id, percent, step):
        seen.append((percent, step, connection.in_atomic_block))
        original(model, job_id, percent, step)

    with mock.patch.object(import_execution, "job_report_progress", spy):
        executed(job)

    steps = [step for _, step, _ in seen]
    assert steps == ["Checked 2 rows", "Looking for repeated customer IDs", "Writing to the customer book"]
    assert [percent for percent, _, _ in seen] == [90, 92, 95]
    assert not any(in_transaction for _, _, in_transaction in seen)


def test_an_import_cancelled_while_it_reads_writes_nothing():
    job = queued()
    original = import_execution.job_report_progress

    def cancelled_midway(model, job_id, percent, step):
        CustomerImport.objects.filter(pk=job_id).update(status=Status.CANCELLED, step="Cancelled by ana")
        original(model, job_id, percent, step)

    with mock.patch.object(import_execution, "job_report_progress", cancelled_midway):
        job = executed(job)

    assert (job.status, job.step) == (Status.CANCELLED, "Cancelled by ana")
    assert not Customer.objects.exists() and not job.upload


def test_an_import_declared_dead_before_its_merge_commits_rolls_the_rows_back():
    job = queued()
    original = import_execution.job_report_progress

    def declared_dead_while_writing(model, job_id, percent, step):
        original(model, job_id, percent, step)
        if step == "Writing to the customer book":
            CustomerImport.objects.filter(pk=job_id).update(status=Status.FAILED, error="stopped responding")

    with mock.patch.object(import_execution, "job_report_progress", declared_dead_while_writing):
        job = executed(job)

    assert (job.status, job.error) == (Status.FAILED, "stopped responding")
    assert not Customer.objects.exists()


def test_an_import_over_its_time_limit_fails_saying_so(settings):
    settings.IMPORT_TIME_LIMIT_SECONDS = 600
    job = queued()

    with customers_importer_raising(SoftTimeLimitExceeded()):
        job = executed(job)

    assert job.status == Status.FAILED
    assert (
        job.error == "The import took longer than its 10-minute limit and was stopped; nothing was written."
    )
    assert not job.upload


def test_an_upload_the_worker_cannot_find_fails_naming_the_shared_folder():
    job = queued()
    CustomerImport.upload.field.storage.delete(job.upload.name)

    job = executed(job)

    assert job.status == Status.FAILED and "IMPORT_UPLOAD_DIR" in job.error


def test_a_lost_database_connection_fails_the_import_saying_so():
    job = queued()

    with (
        customers_importer_raising(DatabaseError("server closed")),
        mock.patch.object(import_execution, "connection_lost", return_value=True),
        pytest.raises(DatabaseError),
    ):
        customer_import_execute(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == import_execution.DATABASE_LOST


def test_an_unexpected_error_fails_the_import_without_details_and_is_raised_for_the_logs():
    job = queued()

    with (
        customers_importer_raising(RuntimeError("bug")),
        pytest.raises(RuntimeError),
    ):
        customer_import_execute(import_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == import_execution.INTERNAL_ERROR
    assert not job.upload and not Customer.objects.exists()


# THE COMMAND'S WAY: IN THIS PROCESS


def test_an_import_run_here_is_recorded_without_an_owner(tmp_path):
    path = tmp_path / "april.csv"
    path.write_text(TWO_ROWS)

    job = customer_import_run_here(path=path)

    assert (job.status, job.started_by, job.file_name, job.file_size) == (
        Status.SUCCEEDED, None, "april.csv", len(TWO_ROWS),
    )  # fmt: skip
    assert job.outcome_report.added == 2 and not job.upload


def test_a_file_that_cannot_be_opened_records_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        customer_import_run_here(path=tmp_path / "missing.csv")

    assert not CustomerImport.objects.exists()


# THE WATCHDOG


def test_a_running_import_whose_worker_died_is_failed_and_its_upload_deleted(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 60
    job = queued()
    silent_since = timezone.now() - timedelta(seconds=61)
    CustomerImport.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, heartbeat_at=silent_since, step="Checked 100,000 rows"
    )

    assert customer_imports_fail_stale() == 1

    job.refresh_from_db()
    assert job.status == Status.FAILED and "stopped responding" in job.error
    assert "during “Checked 100,000 rows”" in job.error and job.error.endswith("import the file again.")
    assert not job.upload


def test_a_queued_import_no_worker_picked_up_is_failed(settings):
    settings.JOB_QUEUE_TIMEOUT_SECONDS = 600
    fresh, lost = queued(), queued()
    CustomerImport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(seconds=601))

    assert customer_imports_fail_stale() == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert fresh.status == Status.QUEUED
    assert lost.status == Status.FAILED and "No worker picked this import up within 10 minutes" in lost.error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_another_process_can_write_while_an_import_reads_its_file():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's whole-database write lock is what this guards against")
    job = queued()
    writes = []
    original = import_execution.job_report_progress

    def another_process_logs_in(model, job_id, percent, step):
        original(model, job_id, percent, step)
        if step.startswith("Checked"):
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.5)
            with other:
                writes.append(other.execute("UPDATE auth_user SET last_login = last_login").rowcount)
            other.close()

    with mock.patch.object(import_execution, "job_report_progress", another_process_logs_in):
        assert executed(job).status == Status.SUCCEEDED

    assert writes == [0]
