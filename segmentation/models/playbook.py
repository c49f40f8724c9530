"""The personas and campaign playbook: the kinds of shopper a segment can earn, and what to offer them."""

from django.core.exceptions import ValidationError
from django.db import models

from core.models import TimeStampedModel
from segmentation import engine_adapter
from segmentation.selectors.features import numeric_features


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
        try:
            engine_adapter.persona_rule_validate(
                self.rule, numeric_features=numeric_features(), persona_name=self.name
            )
        except ValidationError as error:
            raise ValidationError({"rule": error}) from error

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
