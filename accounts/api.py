"""API tokens: the endpoint that issues them, and the authentication that honours them.

Wrong credentials are a 401; too many of them for one username from one address lock that
pair out (django-axes, as on the portal's login page) and are answered 429. A token expires
after API_TOKEN_DAYS and dies when its user's password changes; asking again gives a new one.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import user_has_role
from accounts.services import api_token_issue
from core.api.fields import StrictCharField


class HasRole(BasePermission):
    """Users with a role (staff or Marketing); the API schema and docs are served only to them."""

    message = "Your account has no role in mallseg."

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user)


class CredentialsSerializer(serializers.Serializer):
    username = StrictCharField()
    password = StrictCharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            raise exceptions.Throttled(
                wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                detail="Too many failed logins for this username from your address.",
            )
        if user is None:
            raise exceptions.AuthenticationFailed("Unable to log in with the username and password given.")
        return {"user": user}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the user's API token."""

    serializer_class = CredentialsSerializer
    permission_classes = [AllowAny]
    throttle_classes = APIView.throttle_classes  # DRF's token view has none: guessing passwords is throttled

    @extend_schema(request=CredentialsSerializer, responses={200: TokenSerializer})
    def post(self, request, *args, **kwargs):
        credentials = self.get_serializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        return Response({"token": api_token_issue(user=credentials.validated_data["user"]).key})
