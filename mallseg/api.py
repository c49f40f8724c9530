"""Shared pieces of the REST API: permissions, pagination, strict fields, errors, URL wiring."""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import JsonResponse
from django.urls import URLPattern, URLResolver
from django.views.defaults import page_not_found
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.serializers import as_serializer_error

from mallseg.exceptions import Conflict


class ModelPermissions(DjangoModelPermissions):
    """Django's model permissions, with reading guarded by the "view" permission too.

    So Marketing (view permissions) reads, and staff (add/change/delete) also write.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def requires(*permissions: str) -> type[BasePermission]:
    """A permission class granting access to users who hold every one of ``permissions``."""

    class HasPermissions(BasePermission):
        message = "Your account does not have permission for this."

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.has_perms(permissions))

    HasPermissions.__name__ = "Requires_" + "_".join(p.split(".")[-1] for p in permissions)
    return HasPermissions


class IdLookup:
    """Routes take numeric ids of at most 18 digits: anything else is a 404, never a database overflow."""

    lookup_value_regex = "[0-9]{1,18}"


class IdCursorPagination(CursorPagination):
    """Cursor pagination by id: stable and as fast on page 20,000 as on page 1.

    ``page_size`` must be a whole number (400 otherwise); it is kept between 1 and 500.
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise exceptions.ValidationError({self.page_size_query_param: ["A whole number is required."]})
        return min(max(int(text), 1), self.max_page_size)


def page_size_errors(*actions: str):
    """Document that these paginated actions may refuse a malformed page_size (400)."""
    return extend_validation_errors(["invalid"], field_name="page_size", actions=list(actions) or ["list"])


def refuses_duplicates(viewset_class):
    """Document the 409 that the viewset's create and updates answer when a unique value is taken."""

    def answers(status: int):
        return extend_schema(responses={status: viewset_class.serializer_class, 409: CONFLICT_RESPONSE})

    document = extend_schema_view(create=answers(201), update=answers(200), partial_update=answers(200))
    return document(viewset_class)


def token_or_session_only(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Exempt API views from the portal's login redirect: DRF authenticates them (token or session)
    and answers 401 in JSON instead of redirecting to the login page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            token_or_session_only(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


class ExceptionHandler(StandardizedExceptionHandler):
    """One status code per kind of refusal, every one in the same JSON error shape:

    - 400: the request does not match the schema (a serializer or filter refused it);
    - 409: it conflicts with stored data or state (a duplicate, no active run, a finished run);
    - 422: it matches the schema but a service refused it for a rule the schema cannot state
      (a crossed K range, a file whose rows are not valid customers, a value the active run needs).
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, Conflict):
            return ConflictError(detail=" ".join(exc.messages))
        if isinstance(exc, DjangoValidationError):
            detail = as_serializer_error(exc)
            return DuplicateError(detail) if _only_uniqueness_failed(detail) else UnprocessableError(detail)
        if isinstance(exc, exceptions.ValidationError) and _only_uniqueness_failed(exc.detail):
            return DuplicateError(exc.detail)
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            return exceptions.PermissionDenied(detail=str(exc))
        return super().convert_known_exceptions(exc)


def _only_uniqueness_failed(detail) -> bool:
    """True when every error says a value is already taken, and nothing else is wrong."""

    def codes(node):
        if isinstance(node, dict):
            return [code for value in node.values() for code in codes(value)]
        if isinstance(node, list):
            return [code for value in node for code in codes(value)]
        return [getattr(node, "code", None)]

    found = codes(detail)
    return bool(found) and all(code == "unique" for code in found)


class StrictFloatField(serializers.FloatField):
    """A JSON number: true and false are refused, although Python would read them as 1 and 0."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


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


class ConflictError(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "The current state does not allow this."


class DuplicateError(exceptions.ValidationError):
    """A value that must be unique is already taken: 409, naming the field."""

    status_code = 409


class UnprocessableError(exceptions.ValidationError):
    """Well-formed, but refused by a rule the schema cannot state: 422, naming the field."""

    status_code = 422


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text="The field at fault; null for the whole request.")


class RefusalResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["client_error", "validation_error"])
    errors = ErrorItemSerializer(many=True)


CONFLICT_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="Conflicts with stored data or state: a value already taken, no active run, a finished run.",
)
UNPROCESSABLE_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="Matches the schema but breaks a rule it cannot state; the errors name the field and rule.",
)


def api_not_found(request, exception):
    """404 for unknown URLs: JSON in the API's error shape under /api/, the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {
            "type": "client_error",
            "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
        }
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
