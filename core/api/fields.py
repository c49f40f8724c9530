"""Serializer fields that take only the JSON type they name, and the schema that says so."""

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class StrictFloatField(serializers.FloatField):
    """A JSON number: true and false are refused, although Python would read them as 1 and 0."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A boolean, as JSON or as a form field's text: only true and false, never 1, 0, "yes" or "on"."""

    TRUE_VALUES = {True, "true"}
    FALSE_VALUES = {False, "false"}
    NULL_VALUES = set()


class StrictCharField(serializers.CharField):
    """A JSON string: numbers and booleans are refused rather than turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharFieldSchema(OpenApiSerializerFieldExtension):
    """Tell clients in the schema what a text field refuses besides its length: NUL characters
    (DRF refuses them, and PostgreSQL cannot store them) and, where blank is not allowed, text
    that is only spaces (trimmed to blank)."""

    target_class = StrictCharField
    without_nul = r"^[^\u0000]*$"
    with_content = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction != "request":
            return schema
        needs_content = self.target.trim_whitespace and not self.target.allow_blank
        return {**schema, "pattern": self.with_content if needs_content else self.without_nul}


class StrictModelSerializer(serializers.ModelSerializer):
    """A model serializer whose text fields take only strings and whose float fields only numbers."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.FloatField: StrictFloatField,
    }
