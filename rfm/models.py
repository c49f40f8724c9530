"""RFM: every customer's recency, frequency and monetary scores (quintiles, 1–5), and the named
segments whose score rules, stored as data, place them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import TimeStampedModel
from customers.models import Customer

SCORE_RANGE = (1, 5)
SCORES = range(SCORE_RANGE[0], SCORE_RANGE[1] + 1)
AXES = ("recency", "frequency", "monetary")
"""The three scores, in the order R, F, M; a rule has a min and a max for each."""
AXIS_LETTERS = {"recency": "R", "frequency": "F", "monetary": "M"}
DEFAULT_COLOUR = "#8c96a8"


def _score_validators() -> list:
    return [MinValueValidator(SCORE_RANGE[0]), MaxValueValidator(SCORE_RANGE[1])]


def _score_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": SCORE_RANGE[0], f"{field}__lte": SCORE_RANGE[1]})


def _rule_constraints() -> list[models.BaseConstraint]:
    constraints = []
    for axis in AXES:
        low, high = f"{axis}_min", f"{axis}_max"
        constraints += [
            models.CheckConstraint(
                condition=_score_in_range(low) & _score_in_range(high), name=f"rfm_segment_{axis}_in_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(**{f"{low}__lte": F(high)}), name=f"rfm_segment_{axis}_min_le_max"
            ),
        ]
    return constraints


def _bound(axis: str, end: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{axis} {end}", default=default, validators=_score_validators(), help_text="1–5, both ends included."
    )


class RfmSegment(TimeStampedModel):
    """A named RFM segment and its rule: a range of each score. A customer belongs to the first
    segment, by priority, whose every range holds their scores."""

    name = models.CharField(max_length=60, unique=True)
    description = models.TextField(blank=True, help_text="Who the customers are and how to treat them.")
    priority = models.PositiveSmallIntegerField(
        unique=True,
        help_text="Rules are tried from the lowest number up; the first that matches names the segment.",
    )
    recency_min = _bound("recency", "from", 1)
    recency_max = _bound("recency", "to", 5)
    frequency_min = _bound("frequency", "from", 1)
    frequency_max = _bound("frequency", "to", 5)
    monetary_min = _bound("monetary", "from", 1)
    monetary_max = _bound("monetary", "to", 5)
    colour = models.CharField(
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}\Z", "Give a colour as #rrggbb.")],
        help_text="The segment's colour on the RFM grid, as #rrggbb.",
    )

    class Meta:
        ordering = ["priority"]
        verbose_name = "RFM segment"
        constraints = _rule_constraints()

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rfm:segment", args=[self.pk])

    def clean(self) -> None:
        errors = {
            f"{axis}_max": f"The {axis} range ends below its start ({low} to {high})."
            for axis in AXES
            for low, high in [(getattr(self, f"{axis}_min"), getattr(self, f"{axis}_max"))]
            if low is not None and high is not None and low > high
        }
        if errors:
            raise ValidationError(errors)

    @property
    def rule(self) -> dict[str, dict[str, int]]:
        """Each score's range: ``{"recency": {"min": 4, "max": 5}, ...}``."""
        return {
            axis: {"min": getattr(self, f"{axis}_min"), "max": getattr(self, f"{axis}_max")} for axis in AXES
        }

    @property
    def rule_in_words(self) -> str:
        """Each score the rule narrows, e.g. "R 4–5 · F 4–5" (a full 1–5 range says nothing: left out)."""
        parts = [
            f"{AXIS_LETTERS[axis]} {bounds['min']}"
            + (f"–{bounds['max']}" if bounds["max"] != bounds["min"] else "")
            for axis, bounds in self.rule.items()
            if (bounds["min"], bounds["max"]) != SCORE_RANGE
        ]
        return " · ".join(parts) or "any scores"


def _score(axis: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{AXIS_LETTERS[axis]} score",
        validators=_score_validators(),
        help_text=f"The {axis} quintile, 1–5 (5 best).",
    )


class CustomerRfm(models.Model):
    """A customer's RFM scores and named segment, recomputed with their behaviour features
    (``rfm.services.rfm_refresh``). A customer without purchases has no row."""

    customer = models.OneToOneField(Customer, primary_key=True, on_delete=models.CASCADE, related_name="rfm")
    recency_score = _score("recency")
    frequency_score = _score("frequency")
    monetary_score = _score("monetary")
    segment = models.ForeignKey(
        RfmSegment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The first segment, by priority, whose rule holds; empty when none does.",
    )

    class Meta:
        verbose_name = "customer RFM"
        verbose_name_plural = "customer RFM"
        permissions = [("export_rfm_members", "Can export RFM members as CSV")]
        constraints = [
            models.CheckConstraint(
                condition=_score_in_range(f"{axis}_score"), name=f"customer_rfm_{axis}_in_1_to_5"
            )
            for axis in AXES
        ]
        indexes = [
            models.Index(fields=["segment", "customer"], name="customer_rfm_segment"),
            models.Index(fields=["recency_score", "frequency_score", "customer"], name="customer_rfm_cell"),
        ]

    def __str__(self) -> str:
        return f"RFM of {self.customer_id}: {self.recency_score}{self.frequency_score}{self.monetary_score}"
