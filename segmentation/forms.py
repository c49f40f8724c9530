"""Portal forms of segmentation. Choices, bounds and defaults come from the engine's config, and
the features from it and the attributes the mall declared."""

from django import forms
from django.utils.text import capfirst

from customers.models import VALUE_RANGES, Customer, Gender
from segmentation import engine_adapter
from segmentation.models import Persona, SegmentationRun
from segmentation.selectors.features import available_features, feature_value_ranges

LOWEST_K, HIGHEST_K = engine_adapter.K_LIMITS
DEFAULT_K_MIN, DEFAULT_K_MAX = engine_adapter.DEFAULT_K_RANGE


class RunStartForm(forms.Form):
    features = forms.MultipleChoiceField(
        initial=list(engine_adapter.DEFAULT_FEATURES),
        widget=forms.CheckboxSelectMultiple,
        help_text="What customers are grouped by.",
    )
    algorithm = forms.ChoiceField(
        choices=list(engine_adapter.ALGORITHM_LABELS.items()),
        initial=engine_adapter.DEFAULT_ALGORITHM,
        required=False,
        help_text="DBSCAN and HDBSCAN find the number of segments themselves and keep outliers apart.",
    )
    eps = forms.FloatField(
        label="DBSCAN eps", required=False, min_value=0.0001, help_text="Empty: chosen from the data."
    )
    min_samples = forms.IntegerField(label="DBSCAN min samples", required=False, min_value=2)
    min_cluster_size = forms.IntegerField(label="HDBSCAN min cluster size", required=False, min_value=2)
    k_mode = forms.ChoiceField(
        label="Number of segments",
        choices=[("auto", "Choose automatically (elbow and silhouette)"), ("fixed", "Fixed")],
        initial="auto",
        widget=forms.RadioSelect,
    )
    k = forms.IntegerField(label="K", min_value=LOWEST_K, max_value=HIGHEST_K, required=False, initial=5)
    k_min = forms.IntegerField(
        label="K from", min_value=LOWEST_K, max_value=HIGHEST_K - 1, required=False, initial=DEFAULT_K_MIN
    )
    k_max = forms.IntegerField(
        label="to", min_value=LOWEST_K + 1, max_value=HIGHEST_K, required=False, initial=DEFAULT_K_MAX
    )
    scaling = forms.ChoiceField(
        choices=list(engine_adapter.SCALING_LABELS.items()), initial=engine_adapter.DEFAULT_SCALING
    )
    seed = forms.IntegerField(
        min_value=0,
        max_value=engine_adapter.MAX_SEED,
        initial=engine_adapter.DEFAULT_SEED,
        help_text="Same seed and same data, same segments.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = [
            (name, capfirst(label)) for name, label in available_features().items()
        ]

    def clean_algorithm(self) -> str:
        return self.cleaned_data["algorithm"] or engine_adapter.DEFAULT_ALGORITHM

    def clean(self):
        cleaned = super().clean()
        takes_k = cleaned.get("algorithm") in engine_adapter.ALGORITHMS_TAKING_K
        if takes_k and cleaned.get("k_mode") == "fixed" and cleaned.get("k") is None:
            self.add_error("k", "Enter the number of segments, or choose automatic.")
        return cleaned

    def run_parameters(self) -> dict:
        data = self.cleaned_data
        takes_k = data["algorithm"] in engine_adapter.ALGORITHMS_TAKING_K
        return {
            "features": data["features"],
            "algorithm": data["algorithm"],
            "algorithm_parameters": {
                name: data[name] for name in engine_adapter.ALGORITHM_SETTINGS if data[name] is not None
            },
            "k": data["k"] if takes_k and data["k_mode"] == "fixed" else None,
            # Left empty, an end of the K range keeps its default.
            "k_range": (
                DEFAULT_K_MIN if data["k_min"] is None else data["k_min"],
                DEFAULT_K_MAX if data["k_max"] is None else data["k_max"],
            ),
            "scaling": data["scaling"],
            "seed": data["seed"],
        }


DECIMAL_FEATURES = ("annual_income", "monetary", "avg_basket")


class PredictForm(forms.Form):
    """One field per feature of the active run, with the valid ranges of the customer book and of
    the declared attributes (a value of an attribute may be a decimal)."""

    def __init__(self, *args, run: SegmentationRun, **kwargs):
        super().__init__(*args, **kwargs)
        ranges = feature_value_ranges()
        for feature in run.features:
            if feature == "gender":
                self.fields[feature] = forms.ChoiceField(choices=Gender.choices)
                continue
            low, high = ranges.get(feature, (None, None))
            decimal = feature in DECIMAL_FEATURES or feature in run.custom_features
            number_field = forms.FloatField if decimal else forms.IntegerField
            label = capfirst(run.label_of(feature))
            if feature in VALUE_RANGES:
                label = capfirst(Customer._meta.get_field(feature).verbose_name)
            self.fields[feature] = number_field(label=label, min_value=low, max_value=high)


class SegmentEditForm(forms.Form):
    name = forms.CharField(max_length=200)
    persona = forms.ModelChoiceField(
        queryset=Persona.objects.order_by("name"),
        required=False,
        empty_label="No persona",
        help_text="Its campaigns are the ones recommended to this segment's customers.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2_000,
        help_text="What the team knows about these customers. Later runs keep it with the segment.",
    )


class ScheduleForm(RunStartForm):
    """A re-segmentation schedule: a name, when (crontab), what to run (the run form's fields) and
    the guardrails its runs must pass to activate themselves."""

    name = forms.CharField(max_length=100)
    cron = forms.CharField(
        label="When",
        max_length=100,
        initial="0 6 * * 1",
        help_text="As crontab writes it: minute hour day-of-month month weekday "
        "(0 6 * * 1 is Mondays at 06:00).",
    )
    enabled = forms.BooleanField(required=False, initial=True, label="Runs on schedule (untick to pause)")
    max_silhouette_drop = forms.FloatField(
        label="Largest silhouette drop",
        min_value=0,
        max_value=1,
        initial=0.05,
        help_text="A run whose silhouette falls further below the active run's waits for review.",
    )
    min_customers_kept = forms.FloatField(
        label="Least share of customers kept",
        min_value=0,
        max_value=1,
        initial=0.8,
        help_text="A run in which fewer of the customers stay in their segment waits for review.",
    )
    field_order = ["name", "cron", "enabled"]

    @classmethod
    def for_schedule(cls, schedule) -> "ScheduleForm":
        parameters = schedule.run_parameters
        initial = {
            "name": schedule.name,
            "cron": schedule.cron,
            "enabled": schedule.enabled,
            "max_silhouette_drop": schedule.max_silhouette_drop,
            "min_customers_kept": schedule.min_customers_kept,
            **{name: value for name, value in parameters.items() if name in cls.base_fields},
            **(parameters.get("algorithm_parameters") or {}),
            "k_mode": "auto" if parameters.get("k") is None else "fixed",
            "k_min": parameters["k_range"][0],
            "k_max": parameters["k_range"][1],
        }
        return cls(initial=initial)

    def schedule_arguments(self) -> dict:
        data = self.cleaned_data
        parameters = self.run_parameters()
        return {
            "name": data["name"],
            "cron": data["cron"],
            "enabled": data["enabled"],
            "max_silhouette_drop": data["max_silhouette_drop"],
            "min_customers_kept": data["min_customers_kept"],
            "run_parameters": {**parameters, "k_range": list(parameters["k_range"])},
        }
