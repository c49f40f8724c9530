"""Synthetic campaign outcomes for the demo book, so the playbook pages have results to show.

Every playbook campaign goes out once, on a day of the last few months, to a random half of the
customers, nearly a third of whom are held back as its control group. Customers respond more the more
they spend (spending score); a campaign adds responses mostly among the customers of a persona
that lists it (income and spending levels by thirds of the book), each campaign by its own seeded
strength, so its lift differs from segment to segment and measured results can reorder the
playbook. Deterministic for a seed and a day.
"""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import transaction

from customers.models import Customer
from segmentation.models import Campaign, CampaignOutcome, Persona

PICKED_SHARE = 0.5
HELD_BACK_SHARE = 0.3
LEVELS_BY_THIRD = ("low", "mid", "high")


@transaction.atomic
def demo_outcomes_seed(*, seed: int, today: date) -> int:
    """Replace every stored outcome with synthetic ones; returns how many were written."""
    customers = pd.DataFrame(
        Customer.objects.values_list("pk", "annual_income", "spending_score"),
        columns=["pk", "annual_income", "spending_score"],
    )
    CampaignOutcome.objects.all().delete()
    if customers.empty:
        return 0
    rng = np.random.default_rng(seed)
    fits = _fitting_customers(customers)
    outcomes = []
    for campaign in Campaign.objects.order_by("pk"):
        strength = rng.uniform(0.04, 0.22)
        sent_on = today - timedelta(days=int(rng.integers(7, 120)))
        outcomes += _sends(campaign, customers, fits.get(campaign.pk), strength, sent_on, rng)
    CampaignOutcome.objects.bulk_create(outcomes, batch_size=2_000)
    return len(outcomes)


def _fitting_customers(customers: pd.DataFrame) -> dict[int, np.ndarray]:
    """Campaign ID -> which customers fit a persona listing it, on income and spending levels."""
    levels = {
        feature: pd.qcut(customers[feature].astype(float).rank(method="first"), 3, labels=LEVELS_BY_THIRD)
        for feature in ("annual_income", "spending_score")
    }
    fits: dict[int, np.ndarray] = {}
    for persona in Persona.objects.prefetch_related("campaign_links__campaign"):
        rule = {feature: level for feature, level in persona.rule.items() if feature in levels}
        if not rule:
            continue
        matches = np.logical_and.reduce(
            [(levels[feature] == level).to_numpy() for feature, level in rule.items()]
        )
        for campaign in persona.ordered_campaigns():
            fits[campaign.pk] = fits.get(campaign.pk, np.zeros(len(customers), dtype=bool)) | matches
    return fits


def _sends(campaign, customers, fits, strength, sent_on, rng) -> list[CampaignOutcome]:
    picked = rng.random(len(customers)) < PICKED_SHARE
    held_back = rng.random(len(customers)) < HELD_BACK_SHARE
    baseline = 0.04 + 0.10 * customers["spending_score"].to_numpy() / 100
    added = np.where(fits if fits is not None else False, strength, 0.01)
    responded = rng.random(len(customers)) < baseline + np.where(held_back, 0, added)
    revenue = (15 + 0.4 * customers["annual_income"].to_numpy()) * rng.lognormal(0, 0.4, len(customers))
    return [
        CampaignOutcome(
            customer_id=int(customers["pk"].iat[index]),
            campaign=campaign,
            sent_on=sent_on,
            control=bool(held_back[index]),
            responded=bool(responded[index]),
            revenue=Decimal(f"{revenue[index]:.2f}") if responded[index] else Decimal("0"),
        )
        for index in np.flatnonzero(picked)
    ]
