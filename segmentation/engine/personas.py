"""Naming segments: caller-supplied persona rules first, otherwise a descriptive name.

Matching: a rule matches a segment when every level it requires equals the segment's level;
a rule naming a feature that is not in the run matches nothing.

Conflicts: each persona goes to at most one segment and each segment takes at most one
persona. Matching (rule, segment) pairs are granted greedily, best first:
1. the more specific rule (more required levels);
2. the stronger match: summed over the rule's features, how far the segment mean lies in
   the rule's direction from the middle of the population's mid band, in widths of that
   band (high: further above, low: further below, mid: closer to the middle);
3. the larger segment; 4. the lower segment number; 5. the rule listed first.
A segment left without a persona is named from its profile, e.g.
"High income · Low spending · Under 30"; a repeated name gets " (2)", " (3)", ...
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import InvalidParameterError
from .features import CUSTOM_FEATURE_NAME, FEATURE_LABELS, is_numeric
from .profiles import LEVELS, LevelBand, SegmentProfile

DOMINANT_GENDER_SHARE = 0.75
# How a segment's level of a feature reads in words (its descriptive name, its profile), level
# by level; a feature without an entry (a custom one) reads "High <its label>".
LEVEL_WORDS = {
    "annual_income": {"low": "Low income", "mid": "Mid income", "high": "High income"},
    "spending_score": {"low": "Low spending", "mid": "Mid spending", "high": "High spending"},
    "recency_days": {
        "low": "Bought recently",
        "mid": "Bought a while ago",
        "high": "Long since last purchase",
    },
    "frequency": {"low": "Rarely buys", "mid": "Buys now and then", "high": "Buys often"},
    "monetary": {"low": "Low spend", "mid": "Mid spend", "high": "High spend"},
    "avg_basket": {"low": "Small baskets", "mid": "Mid-size baskets", "high": "Big baskets"},
    "tenure_days": {"low": "New", "mid": "Established", "high": "Long-standing"},
}
_DOMINANT_GENDER_WORDS = {"female": "Mostly female", "male": "Mostly male", "other": "Mostly other gender"}


@dataclass(frozen=True)
class PersonaRule:
    """A persona and the levels a segment needs to earn it, e.g. {"annual_income": "high"}."""

    name: str
    levels: Mapping[str, str]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidParameterError("A persona rule needs a name.")
        if not self.levels:
            raise InvalidParameterError(f"Persona {self.name!r} requires no level; give it at least one.")
        for feature, level in self.levels.items():
            if not (isinstance(feature, str) and CUSTOM_FEATURE_NAME.match(feature)):
                raise InvalidParameterError(
                    f"Persona {self.name!r} uses {feature!r}, which is no feature name."
                )
            if not is_numeric(feature):
                raise InvalidParameterError(
                    f"Persona {self.name!r} uses {feature}, but only numeric features have levels."
                )
            if level not in LEVELS:
                raise InvalidParameterError(
                    f"Persona {self.name!r} asks for {feature} level {level!r}; use {', '.join(LEVELS)}."
                )

    def matches(self, *, profile: SegmentProfile) -> bool:
        return all(profile.levels.get(feature) == level for feature, level in self.levels.items())


@dataclass(frozen=True)
class SegmentName:
    persona: str | None
    display_name: str


def check_rules(*, rules: Sequence[PersonaRule]) -> None:
    names = [rule.name for rule in rules]
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise InvalidParameterError(f"Persona names must be unique; repeated: {', '.join(repeated)}.")


def name_segments(
    *,
    profiles: Sequence[SegmentProfile],
    bands: Mapping[str, LevelBand],
    rules: Sequence[PersonaRule],
    labels: Mapping[str, str] = FEATURE_LABELS,
) -> tuple[SegmentName, ...]:
    """Persona (or None) and display name of each segment, in the order of `profiles`."""
    personas = assign_personas(profiles=profiles, bands=bands, rules=rules)
    display_names = _number_repeats(
        [
            personas.get(profile.index) or describe_segment(profile=profile, labels=labels)
            for profile in profiles
        ]
    )
    return tuple(
        SegmentName(persona=personas.get(profile.index), display_name=display_name)
        for profile, display_name in zip(profiles, display_names, strict=True)
    )


def assign_personas(
    *, profiles: Sequence[SegmentProfile], bands: Mapping[str, LevelBand], rules: Sequence[PersonaRule]
) -> dict[int, str]:
    """Segment index -> persona name, resolving conflicts as the module docstring says."""
    check_rules(rules=rules)

    def priority(match: tuple[int, PersonaRule, SegmentProfile]) -> tuple[float, ...]:
        rule_position, rule, profile = match
        strength = _strength(rule=rule, profile=profile, bands=bands)
        return (-len(rule.levels), -strength, -profile.size, profile.index, rule_position)

    matches = [
        (position, rule, profile)
        for position, rule in enumerate(rules)
        for profile in profiles
        if rule.matches(profile=profile)
    ]
    assigned: dict[int, str] = {}
    for _, rule, profile in sorted(matches, key=priority):
        if profile.index not in assigned and rule.name not in assigned.values():
            assigned[profile.index] = rule.name
    return assigned


def describe_segment(*, profile: SegmentProfile, labels: Mapping[str, str] = FEATURE_LABELS) -> str:
    """E.g. "High income · Low spending · Under 30 · Mostly female", "Buys often · High spend" or,
    on a custom feature, "High visits per month"; gender only when dominant."""
    parts = [
        words[profile.levels[feature]] for feature, words in LEVEL_WORDS.items() if feature in profile.levels
    ]
    parts += [
        level_in_words(feature=feature, level=level, labels=labels)
        for feature, level in profile.levels.items()
        if feature not in LEVEL_WORDS and feature != "age"  # age reads as its band, below
    ]
    if "age" in profile.means:
        parts.append(_age_words(profile.means["age"]))
    if profile.gender_shares:
        gender, share = max(profile.gender_shares.items(), key=lambda item: item[1])
        if share >= DOMINANT_GENDER_SHARE:
            parts.append(_DOMINANT_GENDER_WORDS[gender])
    return " · ".join(parts) or f"Segment {profile.index + 1}"


def level_in_words(*, feature: str, level: str, labels: Mapping[str, str] = FEATURE_LABELS) -> str:
    """A segment's level of one feature in words: "High income", "Bought recently", "Low visits per month"."""
    words = LEVEL_WORDS.get(feature)
    if words is not None:
        return words[level]
    return f"{level.capitalize()} {labels.get(feature, feature.replace('_', ' ')).lower()}"


def _strength(*, rule: PersonaRule, profile: SegmentProfile, bands: Mapping[str, LevelBand]) -> float:
    total = 0.0
    for feature, level in rule.levels.items():
        band = bands[feature]
        width = (band.high_above - band.low_below) or 1.0
        offset = (profile.means[feature] - (band.low_below + band.high_above) / 2) / width
        total += {"high": offset, "low": -offset, "mid": -abs(offset)}[level]
    return total


def _age_words(mean_age: float) -> str:
    if mean_age < 30:
        return "Under 30"
    if mean_age > 50:
        return "Over 50"
    return "Aged 30–50"


def _number_repeats(names: list[str]) -> list[str]:
    """["A", "B", "A"] -> ["A", "B", "A (2)"]."""
    seen: Counter[str] = Counter()
    numbered = []
    for name in names:
        seen[name] += 1
        numbered.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return numbered
