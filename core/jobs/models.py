"""The row every background job keeps: its status, progress, heartbeat and error."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from core.models import TimeStampedModel


def _heartbeat_cutoff() -> datetime:
    """A running job whose last heartbeat is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.JOB_HEARTBEAT_TIMEOUT_SECONDS)


def _queue_cutoff() -> datetime:
    """A queued job created before this was never picked up: its message was lost, or no worker runs."""
    return timezone.now() - timedelta(seconds=settings.JOB_QUEUE_TIMEOUT_SECONDS)


class JobQuerySet(models.QuerySet):
    def unfinished(self) -> "JobQuerySet":
        return self.filter(status__in=Job.UNFINISHED)

    def stale(self) -> "JobQuerySet":
        """Running jobs whose worker stopped sending heartbeats, and queued jobs no worker picked up."""
        return self.filter(
            models.Q(status=Job.Status.RUNNING, heartbeat_at__lt=_heartbeat_cutoff())
            | models.Q(status=Job.Status.QUEUED, created_at__lt=_queue_cutoff())
        )


class Job(TimeStampedModel):
    """Abstract: a unit of work a Celery worker does, with what its watchers need to see.

    Subclasses name themselves for messages (``job_noun``, ``retry_advice``) and say which
    permission lets a user start one (``start_permission``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    job_noun = "job"
    retry_advice = "start it again"
    start_permission = ""

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def is_stale(self) -> bool:
        """Running while its worker stopped sending heartbeats (it died, e.g. out of memory), or
        queued for longer than any worker would leave it (its message was lost)."""
        if self.status == self.Status.QUEUED:
            return self.created_at is not None and self.created_at < _queue_cutoff()
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < _heartbeat_cutoff()
        )

    def stale_failure_message(self) -> str:
        if self.status == self.Status.QUEUED:
            minutes = settings.JOB_QUEUE_TIMEOUT_SECONDS // 60
            return (
                f"No worker picked this {self.job_noun} up within {minutes} minutes: its job was lost "
                f"from the queue, or no worker is running. Nothing was saved: {self.retry_advice}."
            )
        heard = timezone.localtime(self.heartbeat_at).strftime("%H:%M:%S %Z")
        return (
            f"The worker running this {self.job_noun} stopped responding (last heartbeat at {heard}, "
            f"during “{self.step}”); it may have run out of memory or been restarted. Nothing was "
            f"saved: {self.retry_advice}."
        )

    def may_be_cancelled_by(self, user) -> bool:
        """The user who started the job and staff may cancel it; a job started from the command
        line has no owner, so anyone who may start such jobs may cancel it too."""
        if user.is_staff or (self.started_by_id is not None and self.started_by_id == user.pk):
            return True
        return self.started_by_id is None and user.has_perm(self.start_permission)
