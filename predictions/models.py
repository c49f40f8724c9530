"""A forecast (a training of the lapse-risk and spend models, its held-out evaluation and, when it
earns publication, a score per customer) and those scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.jobs.models import Job
from core.models import cascade_through_leading_key
from customers.models import Customer

HORIZON_RANGE = (14, 365)


class Forecast(Job):
    """A background job (``core.jobs``) that learns from the book's purchase history.

    It always ends with a verdict: ``published`` with scores for every customer with history,
    or not, and ``reason`` says which and why (history too short, nothing to tell apart, a
    model no better than the baseline). The evaluation fields are empty when it never got that far.
    """

    job_noun = "forecast"
    retry_advice = "train the models again"
    start_permission = "predictions.start_forecast"

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    horizon_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(HORIZON_RANGE[0]), MaxValueValidator(HORIZON_RANGE[1])],
        help_text="Lapse means no purchase within this many days; expected spend is over the same days.",
    )
    as_of = models.DateTimeField(null=True, blank=True, help_text="The moment the scores look ahead from.")
    published = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    customers_scored = models.PositiveIntegerField(default=0)
    evaluated_customers = models.PositiveIntegerField(null=True, blank=True)
    lapse_rate = models.FloatField(
        null=True, blank=True, help_text="Share that lapsed in the held-out window."
    )
    auc = models.FloatField(null=True, blank=True, help_text="Lapse risk's ROC AUC on the held-out window.")
    calibration = models.JSONField(
        default=list, blank=True, help_text="[mean predicted risk, share that lapsed] per bin of customers."
    )
    spend_mae = models.FloatField(null=True, blank=True, help_text="Expected spend's mean absolute error.")
    baseline_mae = models.FloatField(
        null=True, blank=True, help_text="The same error for the naive forecast: the last period repeats."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("start_forecast", "Can train the lapse-risk and spend models")]

    def __str__(self) -> str:
        return f"Forecast {self.pk}"

    @property
    def is_evaluated(self) -> bool:
        return self.auc is not None


def cascade_by_forecast_key(collector, field, sub_objs, using) -> None:
    """CASCADE for deleted customers' scores, through the key (forecast, customer)."""
    forecast_ids = list(Forecast.objects.using(using).values_list("pk", flat=True))
    cascade_through_leading_key(collector, sub_objs, leading_field="forecast_id", leading_ids=forecast_ids)


cascade_by_forecast_key.lazy_sub_objs = True


class CustomerForecast(models.Model):
    """One customer's lapse risk and expected spend in a published forecast.

    Written a million at a time by one COPY, so, like segmentation's assignments, the table has
    only its key (forecast, customer) and no foreign-key constraints; the customers are checked
    in bulk as the scores are written (``customers.book_lock``). Only the latest published
    forecast keeps its scores: publishing one deletes the ones before it."""

    pk = models.CompositePrimaryKey("forecast", "customer")
    forecast = models.ForeignKey(
        Forecast, on_delete=models.CASCADE, related_name="scores", db_constraint=False, db_index=False
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=cascade_by_forecast_key,
        related_name="forecasts",
        db_constraint=False,
        db_index=False,
    )
    lapse_risk = models.FloatField(help_text="Probability of no purchase within the forecast's horizon.")
    expected_spend = models.FloatField(help_text="Expected net spend within the forecast's horizon.")

    def __str__(self) -> str:
        return f"{self.customer} in {self.forecast}"
