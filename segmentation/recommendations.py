"""Why a campaign suits a customer, in plain words drawn from the customer's own values.

"Income 88k$ is in the top 15% of customers, spending score 17 in the bottom 15%: one of the
Cautious Spenders. Offer the loyalty programme: …"
"""

import math
from dataclasses import dataclass

from segmentation import engine_adapter
from segmentation.models import Campaign, Persona, SegmentationRun

_UNITS = {"annual_income": "k$", "spending_score": "", "age": ""}
_NAMES = {"annual_income": "income", "spending_score": "spending score", "age": "age"}


@dataclass(frozen=True)
class Recommendation:
    campaign: Campaign
    reason: str


def _standing(*, run: SegmentationRun, values: dict[str, float | str]) -> str:
    """Where the values stand among all customers, e.g. "income 88k$ is in the top 15% of customers"."""
    phrases = []
    for feature in run.features:
        if feature in _NAMES:
            value = values[feature]
            rank = engine_adapter.population_rank(population=run.population, feature=feature, value=value)
            subject = f"{_NAMES[feature]} {value:g}{_UNITS[feature]}"
            phrases.append((subject, _place_words(rank)))
    if not phrases:
        return ""
    (subject, place), *rest = phrases
    return ", ".join([f"{subject} is {place} of customers", *(f"{s} {p}" for s, p in rest)])


def recommendations_for_values(
    *, values: dict[str, float | str], run: SegmentationRun, persona: Persona | None
) -> list[Recommendation]:
    """The persona's campaigns, each with the reason for a shopper with these values in ``run``.

    ``values`` holds every feature of the run; a segment with no persona has no campaigns.
    """
    if persona is None:
        return []
    standing = _standing(run=run, values=values)
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
