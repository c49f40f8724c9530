from django import forms
from django.conf import settings

from predictions.models import HORIZON_RANGE


class ForecastStartForm(forms.Form):
    horizon_days = forms.IntegerField(
        label="Horizon (days)",
        min_value=HORIZON_RANGE[0],
        max_value=HORIZON_RANGE[1],
        initial=settings.FORECAST_HORIZON_DAYS,
        help_text="Lapse means no purchase within this many days; expected spend is over the same days.",
    )
