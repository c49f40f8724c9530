"""The customer book: one row per customer of the mall."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel

AGE_RANGE = (12, 120)
ANNUAL_INCOME_RANGE = (0, 10_000)  # k$
SPENDING_SCORE_RANGE = (1, 100)
VALUE_RANGES = {
    "age": AGE_RANGE,
    "annual_income": ANNUAL_INCOME_RANGE,
    "spending_score": SPENDING_SCORE_RANGE,
}
"""The valid range of each numeric column, both ends included."""
EXTERNAL_ID_MAX_LENGTH = 64


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other or unknown"


def range_validators(value_range: tuple[float, float]) -> list:
    low, high = value_range
    return [MinValueValidator(low), MaxValueValidator(high)]


def _range_constraint(field: str, value_range: tuple[float, float]) -> models.CheckConstraint:
    low, high = value_range
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"customer_{field}_in_range",
    )


class CustomerQuerySet(models.QuerySet):
    def search(self, text: str) -> "CustomerQuerySet":
        """Customers whose customer ID is ``text`` (exact, so it stays an index lookup)."""
        text = text.strip()
        return self.filter(external_id=text) if text else self


class Customer(TimeStampedModel):
    external_id = models.CharField(
        "customer ID",
        max_length=EXTERNAL_ID_MAX_LENGTH,
        help_text="The ID the mall's own files use (CustomerID).",
    )
    gender = models.CharField(max_length=6, choices=Gender.choices)
    age = models.PositiveSmallIntegerField(validators=range_validators(AGE_RANGE))
    annual_income = models.FloatField("annual income (k$)", validators=range_validators(ANNUAL_INCOME_RANGE))
    spending_score = models.PositiveSmallIntegerField(
        "spending score (1–100)", validators=range_validators(SPENDING_SCORE_RANGE)
    )

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        permissions = [("import_customers", "Can import customer files")]
        constraints = [
            # A constraint rather than unique=True: on PostgreSQL unique=True adds a second,
            # pattern-matching index that slows bulk imports and serves no query of ours.
            models.UniqueConstraint(fields=["external_id"], name="customer_external_id_unique"),
            models.CheckConstraint(
                condition=~models.Q(external_id=""), name="customer_external_id_not_blank"
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=Gender.values), name="customer_gender_valid"
            ),
            _range_constraint("age", AGE_RANGE),
            _range_constraint("annual_income", ANNUAL_INCOME_RANGE),
            _range_constraint("spending_score", SPENDING_SCORE_RANGE),
        ]

    def __str__(self) -> str:
        return f"Customer {self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})
