"""The API's rate limits, counted per client address as ``core.http.client_address`` finds it."""

from rest_framework import throttling

from core.http import client_address


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request) -> str:
        return client_address(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request) -> str:
        return client_address(request)
