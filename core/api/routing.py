"""URL helpers for the API: numeric id routes, and exemption from the portal's login redirect."""

from django.urls import URLPattern, URLResolver

from core.pagination import ID_PATTERN


class IdLookup:
    """Routes take numeric ids of at most 18 digits: anything else is a 404, never a database overflow."""

    lookup_value_regex = ID_PATTERN


def token_or_session_only(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Exempt API views from the portal's login redirect: DRF authenticates them (token or session)
    and answers 401 in JSON instead of redirecting to the login page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            token_or_session_only(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns
