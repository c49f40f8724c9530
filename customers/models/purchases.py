"""What customers buy: receipt lines, and what they add up to per customer (behaviour)."""

from django.db import models

from core.models import TimeStampedModel
from customers.models.book import Customer, range_validators

PURCHASE_ID_MAX_LENGTH = 64
PURCHASE_AMOUNT_RANGE = (-1_000_000, 1_000_000)
"""A receipt line's amount, both ends included; beyond is a typo or a unit mix-up."""
PURCHASE_LABEL_MAX_LENGTH = 100  # store and category


class Purchase(TimeStampedModel):
    """One line of a receipt. Lines with the same purchase ID form one purchase; a negative
    amount is a refund or a return."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="purchases", db_index=False)
    purchase_id = models.CharField(
        "purchase ID", max_length=PURCHASE_ID_MAX_LENGTH, help_text="The receipt or invoice number."
    )
    line = models.PositiveIntegerField(help_text="The line's place in its purchase, from 1, in file order.")
    purchased_at = models.DateTimeField()
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=range_validators(PURCHASE_AMOUNT_RANGE)
    )
    store = models.CharField(max_length=PURCHASE_LABEL_MAX_LENGTH, blank=True)
    category = models.CharField(max_length=PURCHASE_LABEL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-purchased_at", "purchase_id", "line"]
        constraints = [
            models.UniqueConstraint(fields=["purchase_id", "line"], name="purchase_line_unique"),
            models.CheckConstraint(condition=~models.Q(purchase_id=""), name="purchase_id_not_blank"),
            models.CheckConstraint(condition=models.Q(line__gte=1), name="purchase_line_from_1"),
            models.CheckConstraint(
                condition=models.Q(
                    amount__gte=PURCHASE_AMOUNT_RANGE[0], amount__lte=PURCHASE_AMOUNT_RANGE[1]
                ),
                name="purchase_amount_in_range",
            ),
        ]
        indexes = [models.Index(fields=["customer", "purchased_at"], name="purchase_customer_date")]

    def __str__(self) -> str:
        return f"Purchase {self.purchase_id} line {self.line}"


BEHAVIOUR_FEATURES = ("recency_days", "frequency", "monetary", "avg_basket", "tenure_days")
BEHAVIOUR_VALUE_RANGES = {
    "recency_days": (0, 36_500),
    "frequency": (0, 1_000_000),
    "monetary": (-1_000_000_000, 1_000_000_000),
    "avg_basket": PURCHASE_AMOUNT_RANGE,
    "tenure_days": (0, 36_500),
}
"""The values a behaviour feature may take (e.g. in a prediction typed by hand), both ends included."""


class CustomerBehaviour(models.Model):
    """What a customer's purchases say as of one moment: days since the last purchase (recency),
    distinct purchases and net spend within the window (frequency, monetary), their ratio
    (average basket) and days since the first purchase (tenure).

    Recomputed for every customer from the purchases after each purchase import
    (``customers.behaviour.behaviour_refresh``). A customer without purchases has no row: the
    values are never imputed.
    """

    customer = models.OneToOneField(
        Customer, primary_key=True, on_delete=models.CASCADE, related_name="behaviour"
    )
    recency_days = models.PositiveIntegerField(
        help_text="Whole days from the last purchase to the as-of moment."
    )
    frequency = models.PositiveIntegerField(help_text="Distinct purchases within the window.")
    monetary = models.DecimalField(max_digits=16, decimal_places=2, help_text="Net spend within the window.")
    avg_basket = models.DecimalField(
        max_digits=16, decimal_places=2, help_text="Net spend per purchase within the window (0 without any)."
    )
    tenure_days = models.PositiveIntegerField(
        help_text="Whole days from the first purchase to the as-of moment."
    )
    first_purchase_at = models.DateTimeField()
    last_purchase_at = models.DateTimeField()
    as_of = models.DateTimeField(help_text="The end of the as-of day: purchases before it count.")
    window_days = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name_plural = "customer behaviour"

    def __str__(self) -> str:
        return f"Behaviour of {self.customer_id}"
