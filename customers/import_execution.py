"""Running an import (``core.jobs``) on a worker, or in a command's own process.

The file is read, checked and written by the use case registered for its kind
(``customers.import_kinds``: customers, purchases, campaign outcomes), with progress and a
heartbeat on the import's row. The row ends with the report, or with why nothing was written,
and the stored upload is deleted.
"""

import logging
from functools import partial
from pathlib import Path
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from core.jobs.lifecycle import (
    JobInterrupted,
    connection_lost,
    job_claim,
    job_fail,
    job_lock_running,
    job_report_progress,
    jobs_fail_stale,
)
from customers.import_kinds import importer_of
from customers.importing.report import ImportReport
from customers.models import CustomerImport, ImportKind

logger = logging.getLogger(__name__)

Status = CustomerImport.Status
INTERNAL_ERROR = (
    "The import failed because of an internal error; nothing was written. "
    "The administrators have the details."
)
DATABASE_LOST = (
    "The import lost its connection to the database (the database restarted or dropped it). "
    "Nothing was written: import the file again."
)
UPLOAD_MISSING = (
    "The worker cannot find the uploaded file, so nothing was written. The web server and the "
    "workers must share the upload folder (setting IMPORT_UPLOAD_DIR); import the file again."
)


def customer_import_execute(*, import_id: int) -> None:
    """What a worker does with a queued import. Safe to call twice (at-least-once delivery):
    only the call that claims the import does the work."""
    job = job_claim(CustomerImport, import_id, step="Reading the file")
    if job is None:
        logger.info("Import %s is not queued any more; nothing to do.", import_id)
        return
    try:
        _import_stored_upload(job)
    finally:
        import_upload_discard(job)


def _import_stored_upload(job: CustomerImport) -> None:
    try:
        file = job.upload.open("rb")
    except FileNotFoundError:
        job_fail(CustomerImport, job.pk, UPLOAD_MISSING)
        return
    with file:
        _import_reporting_outcome(job, file)


def customer_import_run_here(
    *, path: Path, kind: str = ImportKind.CUSTOMERS, skip_invalid: bool = False, date_format: str = ""
) -> CustomerImport:
    """Record an import of the file at ``path`` and run it in this process (the commands' way).

    Raises OSError when the file cannot be opened; nothing is recorded then.
    """
    with path.open("rb") as file:
        now = timezone.now()
        job = CustomerImport.objects.create(
            file_name=path.name[:255],
            file_size=path.stat().st_size,
            kind=kind,
            skip_invalid=skip_invalid,
            date_format=date_format,
            status=Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            step="Reading the file",
        )
        _import_reporting_outcome(job, file)
    job.refresh_from_db()
    return job


def _import_reporting_outcome(job: CustomerImport, file: BinaryIO) -> None:
    """Import the file for this running job; the job row ends with the report or the reason."""
    importer = importer_of(job.kind)
    dates = {"date_format": job.date_format} if importer.reads_dates else {}
    try:
        report = importer.run(
            file=file,
            file_name=job.file_name,
            skip_invalid=job.skip_invalid,
            on_progress=partial(job_report_progress, CustomerImport, job.pk),
            on_written=partial(_record_success, job.pk),
            **dates,
        )
        if report.rejected:
            job_fail(CustomerImport, job.pk, report.summary(), report=report.as_json())
    except JobInterrupted:
        logger.info("Import %s was cancelled or marked failed while running; nothing written.", job.pk)
    except SoftTimeLimitExceeded:
        minutes = settings.IMPORT_TIME_LIMIT_SECONDS // 60
        job_fail(
            CustomerImport,
            job.pk,
            f"The import took longer than its {minutes}-minute limit and was stopped; nothing was written.",
        )
    except DatabaseError as error:
        job_fail(CustomerImport, job.pk, DATABASE_LOST if connection_lost(error) else INTERNAL_ERROR)
        raise
    except Exception:
        job_fail(CustomerImport, job.pk, INTERNAL_ERROR)
        raise


def _record_success(import_id: int, report: ImportReport) -> None:
    """Inside the merge's transaction: the import succeeds with the rows, or neither happens."""
    job = job_lock_running(CustomerImport, import_id)
    job.status, job.progress, job.step = Status.SUCCEEDED, 100, "Done"
    job.finished_at = job.heartbeat_at = timezone.now()
    job.report = report.as_json()
    job.save()


def customer_imports_fail_stale() -> int:
    """Fail the imports whose worker died or whose message was lost, and delete their uploads."""
    failed = jobs_fail_stale(CustomerImport)
    for job in CustomerImport.objects.filter(pk__in=failed):
        import_upload_discard(job)
    return len(failed)


def import_upload_discard(job: CustomerImport) -> None:
    """Delete the stored upload of an import that has ended (or will never run)."""
    if job.upload:
        job.upload.delete(save=False)
        CustomerImport.objects.filter(pk=job.pk).update(upload="")
