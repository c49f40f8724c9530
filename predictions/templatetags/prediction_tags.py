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


CALIBRATION_TOLERANCE = 0.05


@register.filter
def calibration_in_words(forecast) -> str:
    """Whether the predicted risks can be read as odds: the mean predicted risk of the held-out
    customers (their bins hold equal shares of them) against the share that lapsed."""
    if not forecast.calibration or forecast.lapse_rate is None:
        return ""
    predicted = sum(risk for risk, _ in forecast.calibration) / len(forecast.calibration)
    figures = f"{predicted:.0%} predicted on average, {forecast.lapse_rate:.0%} lapsed"
    if abs(predicted - forecast.lapse_rate) <= CALIBRATION_TOLERANCE:
        return f"Well calibrated ({figures}): a risk can be read as the odds of lapsing."
    direction = "high" if predicted > forecast.lapse_rate else "low"
    return f"The risks run {direction} ({figures}): use them to rank customers rather than as odds."
