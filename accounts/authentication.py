"""How the API authenticates a token. (A module of its own: DRF loads it from settings while its
views are still importing, so it must not import any view.)"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import api_token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than API_TOKEN_DAYS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                "This token has expired; ask /api/v1/auth/token/ for a new one."
            )
        return user, token
