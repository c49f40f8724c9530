from django import template

from segmentation import engine_adapter

register = template.Library()


@register.filter
def percent(share: float | None, digits: int = 0) -> str:
    """0.405 -> "40.5%" with ``digits`` decimals (default none)."""
    return "—" if share is None else f"{share * 100:.{digits}f}%"


@register.filter
def levels_in_words(segment) -> str:
    """A segment's levels as words: "High income · Low spending", "Bought recently · Buys often"."""
    return " · ".join(_level_in_words(feature, level) for feature, level in segment.levels.items())


def _level_in_words(feature: str, level: str) -> str:
    words = engine_adapter.LEVEL_WORDS.get(feature)
    if words is not None:
        return words[level]
    return f"{level.capitalize()} {engine_adapter.FEATURE_LABELS.get(feature, feature)}"


@register.filter
def feature_label(feature: str) -> str:
    return engine_adapter.FEATURE_LABELS.get(feature, feature).capitalize()
