from django import forms
from django.conf import settings

from customers.models import VALUE_RANGES, Gender
from predictions.audiences import AudienceFilter
from predictions.engine.newcomers import NEWCOMER_FEATURES
from predictions.models import HORIZON_RANGE
from segmentation.selectors.segments import segments_of_run


class ForecastStartForm(forms.Form):
    horizon_days = forms.IntegerField(
        label="Horizon (days)",
        min_value=HORIZON_RANGE[0],
        max_value=HORIZON_RANGE[1],
        initial=settings.FORECAST_HORIZON_DAYS,
        help_text="Lapse means no purchase within this many days; expected spend is over the same days.",
    )


class AudienceForm(forms.Form):
    """The audience filters of the page: risk in percent, as people say it; spend in money."""

    segment = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Every customer with a score", label="Segment (active run)"
    )
    lapse_risk_min = forms.IntegerField(
        label="Lapse risk from (%)", min_value=0, max_value=100, required=False
    )
    lapse_risk_max = forms.IntegerField(label="to (%)", min_value=0, max_value=100, required=False)
    expected_spend_min = forms.DecimalField(
        label="Expected spend from", min_value=0, max_digits=12, required=False
    )
    expected_spend_max = forms.DecimalField(label="to", min_value=0, max_digits=12, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments_of_run()

    def clean(self):
        data = super().clean()
        for low, high in (("lapse_risk_min", "lapse_risk_max"), ("expected_spend_min", "expected_spend_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, "Give an upper bound at or above the lower one.")
        return data

    def audience_filter(self) -> AudienceFilter:
        data = self.cleaned_data

        def share(percent: int | None) -> float | None:
            return None if percent is None else percent / 100

        def money(amount) -> float | None:
            return None if amount is None else float(amount)

        return AudienceFilter(
            segment=data.get("segment"),
            lapse_risk_min=share(data.get("lapse_risk_min")),
            lapse_risk_max=share(data.get("lapse_risk_max")),
            expected_spend_min=money(data.get("expected_spend_min")),
            expected_spend_max=money(data.get("expected_spend_max")),
        )


class NewcomerForm(forms.Form):
    """What the loyalty desk knows of a new member, within the customer book's own ranges."""

    age = forms.IntegerField(min_value=VALUE_RANGES["age"][0], max_value=VALUE_RANGES["age"][1])
    gender = forms.ChoiceField(choices=Gender.choices)
    annual_income = forms.FloatField(
        label="Annual income (k$)",
        min_value=VALUE_RANGES["annual_income"][0],
        max_value=VALUE_RANGES["annual_income"][1],
    )

    def values(self) -> dict:
        """The values in NEWCOMER_FEATURES order, as the engine takes them."""
        return {feature: self.cleaned_data[feature] for feature in NEWCOMER_FEATURES}
