"""Scheduled re-segmentation: what to run, when (a django-celery-beat crontab), and the guardrails
a scheduled run must pass to become the active segmentation on its own."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_celery_beat.models import PeriodicTask

from core.models import TimeStampedModel

SHARE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class SegmentationSchedule(TimeStampedModel):
    """A run started on a schedule. It activates itself only when the guardrails hold: the
    customers form natural groups, its silhouette is at most ``max_silhouette_drop`` below the
    active run's, and at least ``min_customers_kept`` of the customers in both runs stay in the
    segment that continues theirs. Otherwise it waits for review, saying why."""

    name = models.CharField(max_length=100, unique=True)
    run_parameters = models.JSONField(
        help_text="What to run: features, algorithm and its settings, K (null: automatic), K range, "
        "scaling and seed, as a run started by hand takes them."
    )
    periodic_task = models.OneToOneField(
        PeriodicTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    max_silhouette_drop = models.FloatField(
        default=0.05, validators=SHARE, help_text="How far below the active run's silhouette it may be."
    )
    min_customers_kept = models.FloatField(
        default=0.8,
        validators=SHARE,
        help_text="Of the customers in both runs, the least share that must stay in their segment.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cron(self) -> str:
        """minute hour day-of-month month day-of-week, as crontab writes them."""
        crontab = self.periodic_task.crontab if self.periodic_task else None
        if crontab is None:
            return ""
        parts = (
            crontab.minute,
            crontab.hour,
            crontab.day_of_month,
            crontab.month_of_year,
            crontab.day_of_week,
        )
        return " ".join(parts)

    @property
    def when_in_words(self) -> str:
        crontab = self.periodic_task.crontab if self.periodic_task else None
        return crontab.human_readable if crontab else "never"

    @property
    def enabled(self) -> bool:
        return bool(self.periodic_task and self.periodic_task.enabled)
