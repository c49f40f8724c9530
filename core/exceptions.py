"""Errors the services raise that callers may want to tell apart."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The request is well-formed, but the current state does not allow it.

    For example: no segmentation is active yet, or the run has already finished. Pages show
    it like any validation message; the API answers 409 Conflict.
    """


class ServiceUnavailable(Exception):
    """A service the request needs (the job queue) cannot be reached; trying again later may work.

    Pages show the message; the API answers 503 Service Unavailable; commands exit with it.
    """
