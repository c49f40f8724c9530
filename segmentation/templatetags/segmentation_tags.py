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
