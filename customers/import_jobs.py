"""Customer imports as background jobs (``core.jobs``): starting and cancelling them.

The portal, the API and the admin store the upload and queue an import; a worker then runs
it (``customers.import_execution``, through ``customers.tasks``). So the imports run one way:
import_jobs → tasks → import_execution.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.exceptions import ServiceUnavailable
from core.jobs.lifecycle import job_cancel, job_check_in_progress_limit, job_enqueue
from customers.import_execution import import_upload_discard
from customers.models import CustomerImport, ImportKind
from customers.tasks import execute_customer_import

Status = CustomerImport.Status


def customer_import_start(
    *,
    started_by: AbstractBaseUser | None,
    upload: UploadedFile,
    kind: str = ImportKind.CUSTOMERS,
    skip_invalid: bool = False,
    date_format: str = "",
) -> CustomerImport:
    """Store the upload, create a queued import and, once the transaction commits, queue it.

    Raises Conflict when the user already has ``IMPORTS_IN_PROGRESS_PER_USER`` imports queued
    or running, and ServiceUnavailable (the import marked failed) when the job queue cannot be
    reached.
    """
    if started_by is not None:
        job_check_in_progress_limit(CustomerImport, started_by, limit=settings.IMPORTS_IN_PROGRESS_PER_USER)
    job = CustomerImport(
        started_by=started_by,
        file_name=Path(upload.name or "upload").name[:255],
        file_size=upload.size,
        kind=kind,
        skip_invalid=skip_invalid,
        date_format=date_format,
        step="Waiting for a worker",
    )
    job.upload.save("upload", upload, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: CustomerImport) -> None:
    try:
        job_enqueue(job, execute_customer_import.delay)
    except ServiceUnavailable:
        import_upload_discard(job)
        raise


def customer_import_cancel(*, job: CustomerImport, user: AbstractBaseUser) -> CustomerImport:
    """Cancel a queued or running import; a running one stops at its next step, writing nothing."""
    was_queued = job.status == Status.QUEUED
    job = job_cancel(job, user=user)
    if was_queued:
        import_upload_discard(job)
    return job
