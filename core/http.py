"""Who is asking: the client's address, from one configured, trusted place.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies that each append the address they saw to
``X-Forwarded-For``, the client is the address the outermost trusted proxy saw; with none,
it is ``REMOTE_ADDR`` and ``X-Forwarded-For`` (which any client can write) is ignored. The
login lockout (django-axes) and the API's rate limits both use this function.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote_address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote_address
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    return forwarded[-min(proxies, len(forwarded))] if forwarded else remote_address
