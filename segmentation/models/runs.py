"""Segmentation runs and what they produce: segments with their profile and persona, and assignments.

A run clusters the whole customer book once; its segments carry a profile and the persona
they earned; assignments link every customer to a segment. Exactly one succeeded run is the
*active* one, and a customer's segment is its assignment in that run.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from core.models import TimeStampedModel
from customers.models import Customer
from segmentation import engine_adapter
from segmentation.models.playbook import Persona


def _heartbeat_cutoff() -> datetime:
    """A running run whose last heartbeat is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.RUN_HEARTBEAT_TIMEOUT_SECONDS)


def _queue_cutoff() -> datetime:
    """A queued run created before this was never picked up: its message was lost, or no worker runs."""
    return timezone.now() - timedelta(seconds=settings.RUN_QUEUE_TIMEOUT_SECONDS)


class SegmentationRunQuerySet(models.QuerySet):
    def active(self) -> "SegmentationRun | None":
        return self.filter(is_active=True).first()

    def unfinished(self) -> "SegmentationRunQuerySet":
        return self.filter(status__in=SegmentationRun.UNFINISHED)

    def stale(self) -> "SegmentationRunQuerySet":
        """Running runs whose worker stopped sending heartbeats, and queued runs no worker picked up."""
        Status = SegmentationRun.Status
        return self.filter(
            models.Q(status=Status.RUNNING, heartbeat_at__lt=_heartbeat_cutoff())
            | models.Q(status=Status.QUEUED, created_at__lt=_queue_cutoff())
        )


class SegmentationRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="segmentation_runs",
    )
    features = models.JSONField(help_text="Feature names, in order.")
    algorithm = models.CharField(max_length=20, default=engine_adapter.DEFAULT_ALGORITHM)
    scaling = models.CharField(max_length=10, default=engine_adapter.DEFAULT_SCALING)
    requested_k = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: choose K automatically."
    )
    k_min = models.PositiveSmallIntegerField(default=engine_adapter.DEFAULT_K_RANGE[0])
    k_max = models.PositiveSmallIntegerField(default=engine_adapter.DEFAULT_K_RANGE[1])
    seed = models.PositiveIntegerField(default=engine_adapter.DEFAULT_SEED)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    k = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The K used.")
    customer_count = models.PositiveIntegerField(null=True, blank=True)
    data_fingerprint = models.CharField(max_length=64, blank=True)
    silhouette = models.FloatField(null=True, blank=True)
    inertia = models.FloatField(null=True, blank=True)
    k_sweep = models.JSONField(
        null=True, blank=True, help_text="ks, inertias, silhouettes, recommended K, reason."
    )
    scaler = models.JSONField(null=True, blank=True, help_text="Scaling parameters, to place new points.")
    level_bands = models.JSONField(null=True, blank=True, help_text="Population tertiles per feature.")
    population = models.JSONField(
        null=True,
        blank=True,
        help_text="Mean, median and percentiles of each numeric feature over all customers.",
    )
    scatter_sample = models.JSONField(
        null=True, blank=True, help_text="A seeded sample of customers for charts: columns and rows."
    )
    is_active = models.BooleanField(default=False)

    objects = SegmentationRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("start_run", "Can start segmentation runs"),
            ("activate_run", "Can make a run the active one"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_run"
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=False) | models.Q(status="succeeded"),
                name="active_run_succeeded",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="run_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_status_display().lower()})"

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
            minutes = settings.RUN_QUEUE_TIMEOUT_SECONDS // 60
            return (
                f"No worker picked this run up within {minutes} minutes: its job was lost from the "
                "queue, or no worker is running. Nothing was saved: start the run again."
            )
        heard = timezone.localtime(self.heartbeat_at).strftime("%H:%M:%S %Z")
        return (
            f"The worker running this run stopped responding (last heartbeat at {heard}, during "
            f"“{self.step}”); it may have run out of memory or been restarted. Nothing was saved: "
            "start the run again."
        )

    def may_be_cancelled_by(self, user) -> bool:
        """The user who started the run and staff may cancel it; a run started from the command
        line has no owner, so anyone who may start runs may cancel it too."""
        if user.is_staff or (self.started_by_id is not None and self.started_by_id == user.pk):
            return True
        return self.started_by_id is None and user.has_perm("segmentation.start_run")


class Segment(models.Model):
    run = models.ForeignKey(SegmentationRun, on_delete=models.CASCADE, related_name="segments")
    number = models.PositiveSmallIntegerField(help_text="0 is the largest segment.")
    name = models.CharField(max_length=200)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    size = models.PositiveIntegerField()
    share = models.FloatField()
    centroid = models.JSONField(help_text="Mean of each feature, original units.")
    centroid_scaled = models.JSONField(help_text="Centroid in the run's scaled space.")
    medians = models.JSONField()
    levels = models.JSONField(help_text="low / mid / high per numeric feature.")
    gender_shares = models.JSONField(null=True, blank=True)
    silhouette = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        permissions = [("export_audience", "Can export a segment's audience")]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="segment_number_unique")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A customer's segment in a run. ``placed``: added after the run, by nearest centroid."""

    # A run writes millions of assignments in one COPY, and a foreign-key constraint costs
    # one check per row at commit (three checks made the write 3x slower). So these columns
    # carry no database constraint: the run and segment rows are created by the same
    # transaction, and the customers are checked once, in bulk, before it commits
    # (segmentation.services.execution). Django still cascades deletes. The run and segment columns
    # need no index of their own: the composite indexes below start with them.
    run = models.ForeignKey(
        SegmentationRun,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_constraint=False,
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assignments", db_constraint=False
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="assignments", db_constraint=False, db_index=False
    )
    distance = models.FloatField(help_text="Distance to the segment's centroid, scaled space.")
    placed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="assignment_run_customer_unique"),
        ]
        indexes = [models.Index(fields=["segment", "customer"], name="assignment_segment_customer")]

    def __str__(self) -> str:
        return f"{self.customer} in {self.segment}"
