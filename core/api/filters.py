"""Query-string filters that refuse what the schema refuses and never overflow the database."""

import re

import django_filters
from django import forms


class StrictIntegerField(forms.IntegerField):
    """Digits only: "0.0" or "1e3" are not whole numbers here, unlike Django's IntegerField."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"\s*[+-]?[0-9]+\s*", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictBooleanField(forms.NullBooleanField):
    """ "true" or "false" only, as the schema's boolean allows: "null", "yes" or "2" are refused
    rather than read as no filter at all (so the raw text is read, not a select's guess)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Give true or false."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        words = {"true": True, "false": False}
        if str(value).lower() not in words:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return words[str(value).lower()]

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ClampedNumberFilter(django_filters.NumberFilter):
    """Any number the schema allows, clamped to what the database can compare.

    Clamping changes no result (no stored value comes near the limits) and keeps huge
    values from overflowing a database integer.
    """

    limit = 2**62

    def get_max_validator(self):
        return None

    @classmethod
    def clamp(cls, value):
        return min(max(value, -cls.limit), cls.limit)

    def filter(self, qs, value):
        return super().filter(qs, value if value is None else self.clamp(value))


class IntegerFilter(ClampedNumberFilter):
    field_class = StrictIntegerField


class FloatFilter(ClampedNumberFilter):
    field_class = forms.FloatField


class NoBlankChoicesOrNumbersForm(forms.Form):
    """Refuses a number, date or choice filter given without a value (``?age_max=``): ignoring
    it would hide a client's mistake, and the schema promises a value there. The error codes
    are the fields' own for a bad value, as the schema documents them."""

    valued_fields = (
        forms.IntegerField,
        forms.FloatField,
        forms.DateField,
        forms.ChoiceField,
        StrictBooleanField,
    )

    def clean(self):
        for name, field in self.fields.items():
            if isinstance(field, self.valued_fields) and self.data.get(name) == "":
                code = "invalid_choice" if isinstance(field, forms.ChoiceField) else "invalid"
                self.add_error(name, forms.ValidationError("Give a value, or leave it out.", code=code))
        return super().clean()
