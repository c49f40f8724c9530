from django import template

register = template.Library()


@register.filter
def percent(share: float | None, digits: int = 0) -> str:
    """0.405 -> "40.5%" with ``digits`` decimals (default none); "—" when there is no share."""
    return "—" if share is None else f"{share * 100:.{digits}f}%"


@register.filter
def bar_width(share: float | None) -> str:
    """A share as a CSS width for a bar, between 0% and 100% (a negative share draws none)."""
    return f"{min(max(share or 0.0, 0.0), 1.0) * 100:.1f}%"
