"""Shared pieces of the REST API: permissions, pagination, and URL wiring."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import URLPattern, URLResolver
from drf_standardized_errors.handler import ExceptionHandler as StandardizedExceptionHandler
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.serializers import as_serializer_error


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


class IdCursorPagination(CursorPagination):
    """Cursor pagination by id: stable and as fast on page 20,000 as on page 1."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


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
    """Services raise Django's ValidationError and PermissionDenied; answer them as 400 and 403
    with their messages, in the same JSON shape as every other API error."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(detail=as_serializer_error(exc))
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            return exceptions.PermissionDenied(detail=str(exc))
        return super().convert_known_exceptions(exc)
