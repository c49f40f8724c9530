"""What came of the campaigns: one row per customer a campaign was sent to, or held back from on
purpose (the control group), on one day."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.models import TimeStampedModel
from customers.models import Customer
from segmentation.models.playbook import Campaign

OUTCOME_REVENUE_RANGE = (0, 1_000_000)


class CampaignOutcome(TimeStampedModel):
    """A send of ``campaign`` to ``customer`` on ``sent_on`` and whether the customer responded.

    ``control``: the customer was picked for the campaign but deliberately not sent it, so that
    the responses of the customers who were sent it can be compared with theirs (the lift).
    ``revenue`` is what the response brought (0 without one). Imported from files (the import kind
    ``outcomes``); importing the same send again updates it.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="campaign_outcomes")
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,  # measured results are not lost with a playbook entry
        related_name="outcomes",
    )
    sent_on = models.DateField("sent", help_text="The day the campaign went out (or was held back).")
    control = models.BooleanField(
        "control group", default=False, help_text="Held back on purpose, to measure the campaign against."
    )
    responded = models.BooleanField()
    revenue = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(OUTCOME_REVENUE_RANGE[0]), MaxValueValidator(OUTCOME_REVENUE_RANGE[1])],
    )

    class Meta:
        ordering = ["-sent_on", "customer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "campaign", "sent_on"], name="outcome_one_send_a_day"
            ),
            models.CheckConstraint(
                condition=models.Q(revenue__gte=OUTCOME_REVENUE_RANGE[0]), name="outcome_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(responded=True) | models.Q(revenue=0),
                name="outcome_revenue_needs_response",
            ),
        ]

    def __str__(self) -> str:
        group = "control" if self.control else "sent"
        return f"{self.campaign} → customer {self.customer_id} on {self.sent_on} ({group})"
