from django import forms
from django.utils.text import capfirst

from customers.models import Customer, Gender
from segmentation import engine
from segmentation.selectors import VALUE_RANGES

FEATURE_CHOICES = [(feature, engine.FEATURE_LABELS[feature].capitalize()) for feature in engine.FEATURES]
SCALING_CHOICES = [
    ("standard", "Standardise (mean 0, spread 1)"),
    ("minmax", "Min–max (0 to 1)"),
    ("none", "None (original units)"),
]


class RunStartForm(forms.Form):
    features = forms.MultipleChoiceField(
        choices=FEATURE_CHOICES,
        initial=["annual_income", "spending_score"],
        widget=forms.CheckboxSelectMultiple,
        help_text="What customers are grouped by.",
    )
    k_mode = forms.ChoiceField(
        label="Number of segments",
        choices=[
            ("auto", "Choose automatically (elbow and silhouette, K from 2 to 10)"),
            ("fixed", "Fixed"),
        ],
        initial="auto",
        widget=forms.RadioSelect,
    )
    k = forms.IntegerField(label="K", min_value=2, max_value=50, required=False, initial=5)
    scaling = forms.ChoiceField(choices=SCALING_CHOICES, initial="standard")
    seed = forms.IntegerField(min_value=0, initial=42, help_text="Same seed and same data, same segments.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("k_mode") == "fixed" and cleaned.get("k") is None:
            self.add_error("k", "Enter the number of segments, or choose automatic.")
        return cleaned

    def run_parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "features": data["features"],
            "k": data["k"] if data["k_mode"] == "fixed" else None,
            "scaling": data["scaling"],
            "seed": data["seed"],
        }


class PredictForm(forms.Form):
    """One field per feature of the active run, with the customer book's valid ranges."""

    def __init__(self, *args, features: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for feature in features:
            if feature == "gender":
                self.fields[feature] = forms.ChoiceField(choices=Gender.choices)
                continue
            low, high = VALUE_RANGES[feature]
            number_field = forms.IntegerField if feature != "annual_income" else forms.FloatField
            label = capfirst(Customer._meta.get_field(feature).verbose_name)
            self.fields[feature] = number_field(label=label, min_value=low, max_value=high)
