"""Why a campaign suits a customer, in plain words drawn from the customer's own values.

"Income 88k$ is in the top 15% of customers, spending score 17 in the bottom 15%: one of the
Cautious Spenders. Offer the loyalty programme: …"
"""

import math
from dataclasses import dataclass

from customers.models import Customer
from segmentation import engine
from segmentation.models import Campaign, SegmentationRun
from segmentation.selectors import SegmentMatch

_UNITS = {"annual_income": "k$", "spending_score": "", "age": ""}
_NAMES = {"annual_income": "income", "spending_score": "spending score", "age": "age"}


@dataclass(frozen=True)
class Recommendation:
    campaign: Campaign
    reason: str


def customer_standing(*, run: SegmentationRun, values: dict[str, float]) -> str:
    """Where the values stand among all customers, e.g. "income 88k$ is in the top 15% of customers"."""
    phrases = []
    for feature in run.features:
        if feature in _NAMES:
            summary = engine.PopulationSummary(**run.population[feature])
            value = values[feature]
            subject = f"{_NAMES[feature]} {value:g}{_UNITS[feature]}"
            phrases.append((subject, _place_words(summary.rank_of(value=value))))
    if not phrases:
        return ""
    (subject, place), *rest = phrases
    return ", ".join([f"{subject} is {place} of customers", *(f"{s} {p}" for s, p in rest)])


def customer_recommendations(*, customer: Customer, match: SegmentMatch) -> list[Recommendation]:
    """The campaigns of the customer's persona, each with the reason for this customer."""
    values = {feature: getattr(customer, feature) for feature in match.run.features}
    return shopper_recommendations(values=values, match=match)


def shopper_recommendations(*, values: dict[str, float | str], match: SegmentMatch) -> list[Recommendation]:
    """The campaigns of the matched persona, each with the reason for a shopper with these values."""
    persona = match.segment.persona
    if persona is None:
        return []
    standing = customer_standing(run=match.run, values=values)
    who = f"one of the {persona.name}"
    lead = f"{standing[:1].upper()}{standing[1:]}: {who}." if standing else f"This shopper is {who}."
    return [
        Recommendation(
            campaign=campaign, reason=f"{lead} Offer {_lower_first(campaign.title)}: {campaign.rationale}"
        )
        for campaign in persona.ordered_campaigns()
    ]


def _place_words(rank: float) -> str:
    if rank >= 60:
        return f"in the top {_round_up_to_five(100 - rank)}%"
    if rank <= 40:
        return f"in the bottom {_round_up_to_five(rank)}%"
    return "around the middle"


def _round_up_to_five(percent: float) -> int:
    return max(5, math.ceil(percent / 5) * 5)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
