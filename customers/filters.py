import django_filters

from customers.bands import band_choices, band_q
from customers.models import Customer, Gender

_BAND_FIELDS = {"age_band": "age", "income_band": "annual_income", "spending_band": "spending_score"}


class CustomerBandFilter(django_filters.FilterSet):
    """The customer list page's filters: customer ID, gender, and the shared bands of each column."""

    q = django_filters.CharFilter(method="filter_search", label="Customer ID")
    gender = django_filters.ChoiceFilter(choices=Gender.choices, empty_label="Any gender")
    age_band = django_filters.ChoiceFilter(
        choices=band_choices("age"), method="filter_band", label="Age", empty_label="Any age"
    )
    income_band = django_filters.ChoiceFilter(
        choices=band_choices("annual_income"),
        method="filter_band",
        label="Annual income",
        empty_label="Any income",
    )
    spending_band = django_filters.ChoiceFilter(
        choices=band_choices("spending_score"),
        method="filter_band",
        label="Spending score",
        empty_label="Any spending",
    )

    class Meta:
        model = Customer
        fields = ["q", "gender", "age_band", "income_band", "spending_band"]

    def filter_search(self, queryset, name: str, value: str):
        return queryset.search(value)

    def filter_band(self, queryset, name: str, value: str):
        return queryset.filter(band_q(_BAND_FIELDS[name], value))
