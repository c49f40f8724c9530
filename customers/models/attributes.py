"""Attributes of the mall's own that customer files carry (visits per month, tenure...).

An admin declares an attribute: its name (the column a customer file uses), label, unit and the
numeric range of valid values. Customer imports then fill it from the column of that name or
label; other extra columns are still ignored and listed in the report. Segmentation runs may use
any declared attribute as a feature, by its name.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from core.models import TimeStampedModel
from customers.importing.columns import CUSTOMER_COLUMNS, normalise_header
from customers.models.book import Customer
from customers.models.purchases import BEHAVIOUR_FEATURES

ATTRIBUTE_NAME_MAX_LENGTH = 40


class CustomerAttributeQuerySet(models.QuerySet):
    def labels(self) -> dict[str, str]:
        """Name -> label of every declared attribute, by name."""
        return dict(self.order_by("name").values_list("name", "label"))

    def value_ranges(self) -> dict[str, tuple[float, float]]:
        """Name -> (lowest, highest) valid value of every declared attribute."""
        return {name: (low, high) for name, low, high in self.values_list("name", "min_value", "max_value")}


class CustomerAttribute(TimeStampedModel):
    name = models.CharField(
        max_length=ATTRIBUTE_NAME_MAX_LENGTH,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]*$", "Lower-case letters, digits and underscores, starting with a letter."
            )
        ],
        help_text="As in the files' header, in snake_case, e.g. visits_per_month.",
    )
    label = models.CharField(max_length=80, help_text="How pages name it, e.g. Visits per month.")
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. visits, km, months.")
    min_value = models.FloatField("lowest valid value")
    max_value = models.FloatField("highest valid value")

    objects = CustomerAttributeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_value__lt=models.F("max_value")), name="attribute_range_not_empty"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.min_value is not None and self.max_value is not None and self.min_value >= self.max_value:
            raise ValidationError({"max_value": "The highest valid value must be above the lowest."})
        for field in ("name", "label"):
            built_in = CUSTOMER_COLUMNS.field_of(normalise_header(getattr(self, field) or ""))
            if built_in is not None:
                message = f"A file's column with this {field} already means {built_in}; choose another."
                raise ValidationError({field: message})
        if self.name in BEHAVIOUR_FEATURES:
            raise ValidationError({"name": f"{self.name} is a behaviour feature computed from purchases."})

    @property
    def value_range(self) -> tuple[float, float]:
        return self.min_value, self.max_value


class CustomerAttributeValue(models.Model):
    """One customer's value of one declared attribute (a customer may have none)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(CustomerAttribute, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField()

    class Meta:
        ordering = ["attribute__name"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "attribute"], name="attribute_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attribute}: {self.value:g}"
