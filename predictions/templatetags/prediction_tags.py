"""Reading a forecast's evaluation in plain words."""

from django import template

register = template.Library()


@register.filter
def auc_in_words(auc: float | None) -> str:
    """What a lapse AUC means to someone choosing whom to contact."""
    if auc is None:
        return ""
    reading = f"picks the one who lapses {auc:.0%} of the time"
    if auc >= 0.8:
        quality = "strong"
    elif auc >= 0.7:
        quality = "useful"
    elif auc >= 0.6:
        quality = "weak but better than chance"
    else:
        quality = "little better than a coin"
    return f"{quality}: given one customer who lapsed and one who bought again, the model {reading}"


@register.filter
def error_gain(forecast) -> str:
    """How much smaller the spend error is than the baseline's, in words."""
    if forecast.spend_mae is None or not forecast.baseline_mae:
        return ""
    gain = 1 - forecast.spend_mae / forecast.baseline_mae
    if gain <= 0:
        return f"{-gain:.0%} worse than assuming the last {forecast.horizon_days} days repeat"
    return f"{gain:.0%} smaller than assuming the last {forecast.horizon_days} days repeat"
