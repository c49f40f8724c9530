"""Why a campaign suits a customer, in plain words drawn from the customer's own values.

"Income 88k$ is in the top 15% of customers, spending score 17 in the bottom 15%: one of the
Cautious Spenders. Offer the loyalty programme: …", on behaviour, "Last purchase 140 days
ago, in the longest-absent 20% of customers: one of the Lapsed High Spenders. Offer …" and, on a
declared attribute, "Visits per month 12 is in the top 10% of customers: …"
"""

import math
from dataclasses import dataclass

from django.conf import settings

from core.text import lower_first
from segmentation import engine_adapter
from segmentation.models import Campaign, Segment, SegmentationRun
from segmentation.outcomes.ranking import segment_campaigns_ranked

# How each feature's value reads in a sentence.
_SUBJECTS = {
    "annual_income": lambda value: f"income {value:g}k$",
    "spending_score": lambda value: f"spending score {value:g}",
    "age": lambda value: f"age {value:g}",
    "recency_days": lambda value: f"last purchase {value:,.0f} days ago",
    "frequency": lambda value: f"{value:,.0f} purchases in the last {settings.BEHAVIOUR_WINDOW_DAYS} days",
    "monetary": lambda value: f"spend {value:,.2f} in the last {settings.BEHAVIOUR_WINDOW_DAYS} days",
    "avg_basket": lambda value: f"average basket {value:,.2f}",
    "tenure_days": lambda value: f"first purchase {value:,.0f} days ago",
}
# Where a high or low rank puts a customer, for features whose "top" needs other words.
_PLACES = {
    "recency_days": ("in the longest-absent {}%", "among the most recent {}%"),
    "tenure_days": ("among the longest-standing {}%", "among the newest {}%"),
}


@dataclass(frozen=True)
class Recommendation:
    campaign: Campaign
    reason: str


def _standing(*, run: SegmentationRun, values: dict[str, float | str]) -> str:
    """Where the values stand among all customers, e.g. "income 88k$ is in the top 15% of customers"."""
    phrases = []
    for feature in run.features:
        if feature in run.population and feature in values:
            value = float(values[feature])
            rank = engine_adapter.population_rank(population=run.population, feature=feature, value=value)
            phrases.append((feature, _subject(run, feature, value), _place_words(feature, rank)))
    if not phrases:
        return ""
    (feature, subject, place), *rest = phrases
    joined = [
        f"{subject}, {place} of customers" if feature in _PLACES else f"{subject} is {place} of customers"
    ]
    joined += [
        f"{subject}, {place}" if feature in _PLACES else f"{subject} {place}"
        for feature, subject, place in rest
    ]
    return ", ".join(joined)


def recommendations_for_values(
    *, values: dict[str, float | str], run: SegmentationRun, segment: Segment
) -> list[Recommendation]:
    """The segment's persona's campaigns, each with the reason for a shopper with these values.

    ``values`` holds every feature of the run; a segment with no persona has no campaigns. The
    campaigns come in the order their measured results give, where known (``outcomes.ranking``),
    and the reason says so. A reason never hides what the run warns about: a band rather than a
    natural group, an unstable or a tiny segment.
    """
    persona = segment.persona
    if persona is None:
        return []
    standing = _standing(run=run, values=values)
    who = f"one of the {persona.name}" if run.has_structure else f"in the {persona.name} band"
    lead = f"{standing[:1].upper()}{standing[1:]}: {who}." if standing else f"This shopper is {who}."
    caveat = _caveat(segment)
    ranked = segment_campaigns_ranked(segment)
    return [
        Recommendation(
            campaign=entry.campaign,
            reason=f"{lead} Offer {lower_first(entry.campaign.title)}: {entry.campaign.rationale}{caveat}"
            + (f" {entry.note}" if entry.note else ""),
        )
        for entry in ranked
    ]


def _caveat(segment: Segment) -> str:
    """What to keep in mind before acting on this segment, or nothing."""
    doubts = []
    if segment.is_unstable:
        doubts.append(
            "the segment is unstable (it does not reliably come back when customers are re-sampled)"
        )
    if segment.is_tiny:
        doubts.append(f"the segment is tiny ({segment.size:,} customers)")
    return (
        f" Caution: {' and '.join(doubts)}; test on a few customers before a wide campaign." if doubts else ""
    )


def _subject(run: SegmentationRun, feature: str, value: float) -> str:
    """How the value reads: "income 88k$", "last purchase 140 days ago", "visits per month 6"."""
    subject = _SUBJECTS.get(feature)
    return subject(value) if subject else f"{run.label_of(feature).lower()} {value:g}"


def _place_words(feature: str, rank: float) -> str:
    high, low = _PLACES.get(feature, ("in the top {}%", "in the bottom {}%"))
    if rank >= 60:
        return high.format(_round_up_to_five(100 - rank))
    if rank <= 40:
        return low.format(_round_up_to_five(rank))
    return "around the middle"


def _round_up_to_five(percent: float) -> int:
    return max(5, math.ceil(percent / 5) * 5)
