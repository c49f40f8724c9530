"""Who did it: django-auditlog's middleware, with the actor and address read the portal's way."""

from auditlog.middleware import AuditlogMiddleware
from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

from core.http import client_address


class AuditActorMiddleware(AuditlogMiddleware):
    """The actor is read when an entry is written, not when the request arrives: the API
    authenticates tokens inside the view, after every middleware has run, and DRF then sets the
    user on the request. The address is ``core.http.client_address`` (only trusted proxies'
    X-Forwarded-For), not the first address a client may claim."""

    @staticmethod
    def _get_actor(request):
        return SimpleLazyObject(lambda: _authenticated_user(request))

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None


def _authenticated_user(request):
    user = getattr(request, "user", None)
    return user if isinstance(user, get_user_model()) and user.is_authenticated else None
