"""The answer to a login attempt while its username and address are locked out (django-axes)."""

from django.conf import settings
from django.shortcuts import render


def lockout_page(request, original_response=None, credentials=None):
    """429 with the portal's lockout page, saying how long the pause lasts."""
    cooloff_seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": round(cooloff_seconds / 60)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(cooloff_seconds)
    return response
