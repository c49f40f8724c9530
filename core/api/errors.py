"""One status code per kind of refusal, every one in the same JSON error shape."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views.defaults import page_not_found
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error

from core.exceptions import Conflict, ServiceUnavailable


class ConflictError(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "The current state does not allow this."


class ServiceUnavailableError(exceptions.APIException):
    status_code = 503
    default_code = "service_unavailable"
    default_detail = "A service this request needs cannot be reached; try again later."


class DuplicateError(exceptions.ValidationError):
    """A value that must be unique is already taken: 409, naming the field."""

    status_code = 409


class UnprocessableError(exceptions.ValidationError):
    """Well-formed, but refused by a rule the schema cannot state: 422, naming the field."""

    status_code = 422


class ExceptionHandler(StandardizedExceptionHandler):
    """Maps the services' errors to statuses:

    - 400: the request does not match the schema (a serializer or filter refused it);
    - 409: it conflicts with stored data or state (a duplicate, no active run, a finished run);
    - 422: it matches the schema but a service refused it for a rule the schema cannot state
      (a crossed K range, a file whose rows are not valid customers, a value the active run needs);
    - 503: a service the request needs (the job queue) cannot be reached.
    """

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, Conflict):
            return ConflictError(detail=" ".join(exc.messages))
        if isinstance(exc, ServiceUnavailable):
            return ServiceUnavailableError(detail=str(exc))
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


def client_error_response(*, status: int, code: str, detail: str) -> JsonResponse:
    """A refusal in the API's error shape, for answers given outside DRF (URL routing, middleware)."""
    body = {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)


def not_found(request, exception):
    """404 for unknown URLs: JSON in the API's error shape under /api/, the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return client_error_response(status=404, code="not_found", detail="Not found.")
    return page_not_found(request, exception)
