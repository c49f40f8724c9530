from django import template

from segmentation import engine_adapter

register = template.Library()


@register.filter
def percent(share: float | None, digits: int = 0) -> str:
    """0.405 -> "40.5%" with ``digits`` decimals (default none)."""
    return "—" if share is None else f"{share * 100:.{digits}f}%"


@register.filter
def levels_in_words(segment) -> str:
    """A segment's levels as words: "High income · Low spending", "Buys often · High visits per month"."""
    labels = segment.run.feature_labels
    return " · ".join(
        engine_adapter.level_in_words(feature=feature, level=level, labels=labels)
        for feature, level in segment.levels.items()
    )


WARNING_TITLES = {
    "weak_structure": "No natural groups",
    "unstable_segment": "Unstable",
    "tiny_segment": "Tiny",
    "sampled": "Sampled",
}


@register.filter
def warning_title(code: str) -> str:
    """A warning code as a short badge title: "unstable_segment" -> "Unstable"."""
    return WARNING_TITLES.get(code, code.replace("_", " ").capitalize())


@register.filter
def get_item(mapping: dict | None, key):
    """``mapping[key]``, or None where the key or the mapping is missing."""
    return mapping.get(key) if mapping else None


@register.filter
def agreement_words(agreement: float) -> str:
    """An adjusted Rand index in words (1 identical, about 0 no more than chance)."""
    if agreement >= 0.9:
        return "they group the customers almost identically"
    if agreement >= 0.65:
        return "they largely agree"
    if agreement >= 0.3:
        return "they agree on part of the picture"
    return "they group the customers very differently"


@register.filter
def algorithm_label(algorithm: str) -> str:
    """ "gmm" -> "Gaussian mixture"."""
    return engine_adapter.ALGORITHM_LABELS.get(algorithm, algorithm)


@register.filter
def feature_label(run, feature: str) -> str:
    """How the run names one of its features ("annual income (k$)", an attribute's label)."""
    return run.label_of(feature)


@register.filter
def feature_names(features: list[str]) -> str:
    """Features as people read them ("annual income, spending score"); attributes by their name."""
    return ", ".join(engine_adapter.FEATURE_LABELS.get(feature, feature) for feature in features)


@register.filter
def points(share: float | None) -> str:
    """A difference of two rates in percentage points: 0.123 -> "+12.3 pts"."""
    return "—" if share is None else f"{share * 100:+.1f} pts".replace("-", "−")


@register.filter
def interval(lift) -> str:
    """A lift's 95% interval in percentage points: "−4.4 to +12.4 pts"."""
    return f"{lift.low * 100:+.1f} to {lift.high * 100:+.1f} pts".replace("-", "−")
