"""Segmentation runs: a run clusters the whole customer book once into segments
(``segmentation.models.segments``). Exactly one succeeded run is the *active* one, and a customer's
segment is its assignment in that run. A run is matched to the run that was active when it
finished (``matched_to``), so its segments can continue theirs (segment identity, #13).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.jobs.models import Job, JobQuerySet
from segmentation import engine_adapter


class SegmentationRunQuerySet(JobQuerySet):
    def active(self) -> "SegmentationRun | None":
        return self.filter(is_active=True).first()


class SegmentationRun(Job):
    job_noun = "run"
    retry_advice = "start the run again"
    start_permission = "segmentation.start_run"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="segmentation_runs",
    )
    features = models.JSONField(help_text="Feature names, in order.")
    feature_labels = models.JSONField(
        default=dict,
        blank=True,
        help_text="The label of each feature when the run started (declared attributes may change later).",
    )
    algorithm = models.CharField(max_length=20, default=engine_adapter.DEFAULT_ALGORITHM)
    algorithm_parameters = models.JSONField(
        default=dict,
        blank=True,
        help_text="Settings given for the algorithm: eps, min_samples, min_cluster_size.",
    )
    scaling = models.CharField(max_length=10, default=engine_adapter.DEFAULT_SCALING)
    requested_k = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: choose K automatically."
    )
    k_min = models.PositiveSmallIntegerField(default=engine_adapter.DEFAULT_K_RANGE[0])
    k_max = models.PositiveSmallIntegerField(default=engine_adapter.DEFAULT_K_RANGE[1])
    seed = models.PositiveIntegerField(default=engine_adapter.DEFAULT_SEED)

    k = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The K used.")
    customer_count = models.PositiveIntegerField(null=True, blank=True, help_text="Customers segmented.")
    customers_without_history = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Customers left out for lacking a value of a feature: no purchases for a behaviour "
        "feature, or no value of a declared attribute.",
    )
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
    fit_details = models.JSONField(
        null=True,
        blank=True,
        help_text="What the algorithm used and did: settings, rows fitted on, outliers, dendrogram.",
    )
    quality = models.JSONField(
        null=True,
        blank=True,
        help_text="Cluster tendency, metrics with their readings, and stability (engine.trust.Quality).",
    )
    warnings = models.JSONField(
        default=list, blank=True, help_text="What to read before acting: [{code, message, segment}]."
    )
    is_active = models.BooleanField(default=False)
    schedule = models.ForeignKey(
        "segmentation.SegmentationSchedule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        help_text="The schedule that started it, if one did.",
    )
    review_reason = models.TextField(
        blank=True, help_text="Why a scheduled run did not activate itself: it waits for review."
    )
    matched_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The run active when this one finished, whose segments this one's were matched to.",
    )

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
    def algorithm_finds_k(self) -> bool:
        """True for DBSCAN and HDBSCAN: they find the number of segments themselves."""
        return self.algorithm not in engine_adapter.ALGORITHMS_TAKING_K

    @property
    def has_structure(self) -> bool:
        """False when the customers form no natural groups: the segments are bands of a continuum.
        Runs from before quality was measured count as structured."""
        return not any(warning["code"] == "weak_structure" for warning in self.warnings)

    def label_of(self, feature: str) -> str:
        """The feature's label as the run knew it ("annual income", "visits per month")."""
        return self.feature_labels.get(feature) or engine_adapter.FEATURE_LABELS.get(feature, feature)

    @property
    def custom_features(self) -> dict[str, str]:
        """The run's features that are declared attributes, with their labels."""
        return {
            feature: self.label_of(feature)
            for feature in self.features
            if feature not in engine_adapter.FEATURES
        }

    @property
    def numeric_features(self) -> list[str]:
        """The numeric features the run's pages describe: every built-in one and the run's attributes."""
        return [*engine_adapter.NUMERIC_FEATURES, *self.custom_features]

    @property
    def uses_behaviour(self) -> bool:
        """Whether any feature comes from purchase history."""
        return any(feature in engine_adapter.BEHAVIOUR_FEATURES for feature in self.features)

    @property
    def gives_probabilities(self) -> bool:
        """True for a Gaussian mixture: each assignment carries its membership probability."""
        return self.algorithm in engine_adapter.ALGORITHMS_GIVING_PROBABILITIES

    @property
    def lacking(self) -> str:
        """What customers left out of the run lack: "purchase history", "visits per month", or both
        joined by "or"; empty when the run needs nothing beyond the customer book."""
        lacking = ["purchase history"] if set(self.features) & set(engine_adapter.BEHAVIOUR_FEATURES) else []
        lacking += [label.lower() for label in self.custom_features.values()]
        return " or ".join(lacking)


class RunActivation(models.Model):
    """One time a run became the active segmentation: the history the evolution of segments is
    drawn from (successive active runs), and who chose it (empty: a run's first success, or the
    command line)."""

    run = models.ForeignKey(SegmentationRun, on_delete=models.CASCADE, related_name="activations")
    activated_at = models.DateTimeField(default=timezone.now, db_index=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["activated_at", "pk"]

    def __str__(self) -> str:
        return f"Run {self.run_id} active from {self.activated_at:%Y-%m-%d %H:%M}"


class PopulationDrift(models.Model):
    """How far the customers had moved, after an import, from the population a run was fitted on:
    each feature's population stability index and its level (none, moderate, significant)."""

    run = models.ForeignKey(SegmentationRun, on_delete=models.CASCADE, related_name="drift_checks")
    measured_at = models.DateTimeField(default=timezone.now, db_index=True)
    trigger = models.CharField(max_length=300, help_text="What changed the customers, e.g. an import.")
    customers = models.PositiveIntegerField(help_text="Customers the run's features were measured on.")
    features = models.JSONField(
        help_text='Feature -> {"psi": its index, "level": none, moderate or significant}.'
    )

    class Meta:
        ordering = ["-measured_at", "-pk"]

    def __str__(self) -> str:
        return f"Drift from run {self.run_id} at {self.measured_at:%Y-%m-%d %H:%M}"

    @property
    def level(self) -> str:
        """The worst feature's level."""
        levels = {entry["level"] for entry in self.features.values()}
        return next((level for level in ("significant", "moderate") if level in levels), "none")

    @property
    def suggests_rerun(self) -> bool:
        return self.level == "significant"
