from django import template

from segmentation import engine_adapter

register = template.Library()


@register.filter
def percent(share: float | None, digits: int = 0) -> str:
    """0.405 -> "40.5%" with ``digits`` decimals (default none)."""
    return "—" if share is None else f"{share * 100:.{digits}f}%"


@register.filter
def levels_in_words(segment) -> str:
    """A segment's levels as words: "High annual income · Low spending score"."""
    return " · ".join(
        f"{level.capitalize()} {engine_adapter.FEATURE_LABELS[feature]}"
        for feature, level in segment.levels.items()
    )


@register.filter
def feature_label(feature: str) -> str:
    return engine_adapter.FEATURE_LABELS.get(feature, feature).capitalize()
