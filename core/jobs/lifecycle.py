"""The steps of a job's life, the same for every kind of job (see ``core.jobs``)."""

import logging
from collections.abc import Callable

import psycopg
from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.exceptions import Conflict, ServiceUnavailable
from core.jobs.models import Job

# PostgreSQL's SQLSTATEs for a lost connection: the connection exception class, and the server
# shutting the session down (administrator, crash, not accepting connections yet).
CONNECTION_LOST_STATES = ("08", "57P01", "57P02", "57P03")

logger = logging.getLogger(__name__)

Status = Job.Status


class JobInterrupted(Exception):
    """The job stopped being ours to finish: cancelled, or marked failed as stale."""


def queue_unreachable_message(job: Job) -> str:
    return (
        f"The job queue cannot be reached, so the {job.job_noun} could not be started (it is marked "
        "failed). Try again in a few minutes; if it keeps happening, ask an administrator to check "
        "the queue."
    )


def job_check_in_progress_limit(model: type[Job], user: AbstractBaseUser, *, limit: int) -> None:
    """One user may not fill the queue: refuse a job beyond ``limit`` unfinished ones of this kind."""
    if model.objects.unfinished().filter(started_by=user).count() >= limit:
        jobs = model.job_noun if limit == 1 else f"{model.job_noun}s"
        raise Conflict(
            f"You already have {limit} {jobs} queued or running, the most one user may have at "
            "once: wait for one to finish, or cancel one."
        )


def job_enqueue(job: Job, publish: Callable[[int], object]) -> None:
    """Publish the job's task; a job whose task cannot be published is failed at once, never left
    queued, and the caller gets ServiceUnavailable."""
    try:
        publish(job.pk)
    except (BrokerError, OSError) as error:
        logger.warning("%s %s could not be queued: %s", type(job).__name__, job.pk, error)
        message = queue_unreachable_message(job)
        job_fail(type(job), job.pk, message)
        raise ServiceUnavailable(message) from error


def job_claim(model: type[Job], job_id: int, *, step: str) -> Job | None:
    """Move the job from queued to running atomically; None when another call got there first."""
    now = timezone.now()
    claimed = model.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, progress=0, step=step
    )
    return model.objects.get(pk=job_id) if claimed else None


def job_report_progress(model: type[Job], job_id: int, percent: int, step: str) -> None:
    """Store progress and the heartbeat; raise JobInterrupted if the job is no longer running."""
    updated = model.objects.filter(pk=job_id, status=Status.RUNNING).update(
        progress=percent, step=step[:200], heartbeat_at=timezone.now()
    )
    if not updated:
        raise JobInterrupted


def job_lock_running(model: type[Job], job_id: int) -> Job:
    """Inside the transaction that stores the job's result: lock its row, and raise JobInterrupted
    unless it is still running, so a cancelled or stale job never commits anything."""
    job = model.objects.select_for_update().get(pk=job_id)
    if job.status != Status.RUNNING:
        raise JobInterrupted
    return job


def job_fail(model: type[Job], job_id: int, message: str, **fields) -> None:
    model.objects.filter(pk=job_id, status__in=Job.UNFINISHED).update(
        status=Status.FAILED, error=message, step="Failed", finished_at=timezone.now(), **fields
    )


def job_cancel(job: Job, *, user: AbstractBaseUser) -> Job:
    """Cancel a queued or running job (see ``Job.may_be_cancelled_by`` for who may)."""
    noun = job.job_noun
    if not job.may_be_cancelled_by(user):
        raise PermissionDenied(f"Only the user who started this {noun}, or staff, can cancel it.")
    model = type(job)
    was = job.status
    cancelled = model.objects.filter(pk=job.pk, status__in=Job.UNFINISHED).update(
        status=Status.CANCELLED, step=f"Cancelled by {user.get_username()}", finished_at=timezone.now()
    )
    job.refresh_from_db()
    if not cancelled:
        raise Conflict(f"This {noun} has already {job.get_status_display().lower()}; it cannot be cancelled.")
    _audit_status_change(job, was=was, actor=user)
    return job


def _audit_status_change(job: Job, *, was: str, actor: AbstractBaseUser | None) -> None:
    """Record in the audit trail a change of status made by a conditional UPDATE, which (unlike
    ``save()``) sends no signal for django-auditlog to see."""
    LogEntry.objects.log_create(
        job, action=LogEntry.Action.UPDATE, changes={"status": [was, job.status]}, actor=actor
    )


def jobs_fail_stale(model: type[Job]) -> list[int]:
    """Mark failed every stale job of this kind (see ``Job.is_stale``). Returns their ids.

    Each job is failed by a conditional update, so a heartbeat that arrives meanwhile wins.
    """
    failed = []
    for job in model.objects.stale():
        message = job.stale_failure_message()
        stale_now = model.objects.stale().filter(pk=job.pk)
        if stale_now.update(status=Status.FAILED, step="Failed", finished_at=timezone.now(), error=message):
            failed.append(job.pk)
    return failed


def job_as_seen(job: Job) -> Job:
    """The job as its watchers should see it, without writing anything.

    A stale job is shown failed, with the reason, as soon as anyone looks; the watchdog
    task records it.
    """
    if job.is_stale:
        job.error = job.stale_failure_message()
        job.status, job.step, job.finished_at = Status.FAILED, "Failed", timezone.now()
    return job


def connection_lost(error: DatabaseError) -> bool:
    """True when ``error``, caught where a job failed, means this worker lost its database
    connection: the driver says so (PostgreSQL's connection and shutdown states, or psycopg's
    own failure to talk to the server), or the connection no longer answers. A transaction that
    ended on such an error may already have opened a new connection (Django does, to restore
    autocommit), so the error is asked first. The connection is then closed, so the next query
    (the one that marks the job failed) opens a fresh one."""
    if connection.in_atomic_block:
        return False
    broken = connection.connection is not None and not connection.is_usable()
    if not (broken or _lost_by_the_driver(error)):
        return False
    connection.close()
    return True


def _lost_by_the_driver(error: DatabaseError) -> bool:
    cause = error.__cause__
    if not isinstance(cause, psycopg.OperationalError):
        return False
    return cause.sqlstate is None or cause.sqlstate.startswith(CONNECTION_LOST_STATES)
