"""Refusing a request body larger than the largest upload the app accepts, before reading any of it.

Django never reads past a request's Content-Length, so checking that header bounds what an
upload can cost: a larger body is answered 413 at once, and neither the page nor the API
spools a byte of it. (Uploads are customer files; IMPORT_MAX_FILE_MB is their limit.)
"""

from django.conf import settings
from django.shortcuts import render

from core.api.errors import client_error_response

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = int(settings.IMPORT_MAX_FILE_MB * 1_000_000) + FORM_OVERHEAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django refuses a malformed length itself
        if length > limit:
            return _too_large(request, length)
        return self.get_response(request)


def _too_large(request, length: int):
    detail = (
        f"The upload is {length / 1_000_000:,.1f} MB; the largest file accepted is "
        f"{settings.IMPORT_MAX_FILE_MB:g} MB. Nothing was read or written."
    )
    if request.path.startswith("/api/"):
        return client_error_response(status=413, code="too_large", detail=detail)
    return render(request, "413.html", {"detail": detail}, status=413)
