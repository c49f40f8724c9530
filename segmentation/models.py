"""Segmentation runs and what they produce, plus the personas and campaign playbook.

A run clusters the whole customer book once; its segments carry a profile and the persona
they earned; assignments link every customer to a segment. Exactly one succeeded run is the
*active* one, and a customer's segment is its assignment in that run.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from customers.models import Customer
from mallseg.models import TimeStampedModel
from segmentation.engine import EngineError, PersonaRule


class Campaign(TimeStampedModel):
    """One entry of the campaign playbook: what to offer, through which channel, and why."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        APP = "app", "App notification"
        IN_STORE = "in_store", "In store"
        LOYALTY = "loyalty", "Loyalty programme"

    title = models.CharField(max_length=120, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    offer = models.TextField(help_text="What the customer is offered.")
    rationale = models.TextField("why it fits", help_text="Why this offer suits the persona.")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Persona(TimeStampedModel):
    """A named kind of shopper and the feature levels a segment needs to earn the name.

    ``rule`` maps a feature to a level, e.g. ``{"annual_income": "high", "spending_score": "low"}``.
    Campaigns are listed in order of recommendation (``PersonaCampaign.position``).
    """

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField()
    rule = models.JSONField(
        default=dict,
        help_text='Feature levels, e.g. {"annual_income": "high", "spending_score": "low"}; '
        "levels are low, mid or high.",
    )
    campaigns = models.ManyToManyField(
        Campaign, through="PersonaCampaign", related_name="personas", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.rule, dict):
            raise ValidationError(
                {"rule": 'Write the rule as a JSON object, e.g. {"annual_income": "high"}.'}
            )
        try:
            self.as_rule()
        except EngineError as error:
            raise ValidationError({"rule": str(error)}) from error

    def as_rule(self) -> PersonaRule:
        """The engine's form of this persona; raises EngineError when the rule is malformed."""
        return PersonaRule(name=self.name or "this persona", levels=self.rule)

    def ordered_campaigns(self) -> list[Campaign]:
        return [link.campaign for link in self.campaign_links.all()]


class PersonaCampaign(models.Model):
    persona = models.ForeignKey(Persona, on_delete=models.CASCADE, related_name="campaign_links")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="persona_links")
    position = models.PositiveSmallIntegerField(default=0, help_text="1 is recommended first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["persona", "campaign"], name="persona_campaign_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.persona} → {self.campaign}"


class SegmentationRunQuerySet(models.QuerySet):
    def active(self) -> "SegmentationRun | None":
        return self.filter(is_active=True).first()

    def unfinished(self) -> "SegmentationRunQuerySet":
        return self.filter(status__in=SegmentationRun.UNFINISHED)


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
    algorithm = models.CharField(max_length=20, default="kmeans")
    scaling = models.CharField(max_length=10, default="standard")
    requested_k = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: choose K automatically."
    )
    k_min = models.PositiveSmallIntegerField(default=2)
    k_max = models.PositiveSmallIntegerField(default=10)
    seed = models.PositiveIntegerField(default=42)

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
    # (segmentation.services). Django still cascades deletes. The run and segment columns
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
