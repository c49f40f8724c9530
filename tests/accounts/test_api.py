"""API tokens (accounts.api, accounts.authentication): a token for a username and password,
throttled password guessing, tokens that expire and die with a password change."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def errors(response) -> dict:
    return {error["attr"]: error["detail"] for error in response.json()["errors"]}


def test_a_token_is_issued_for_a_username_and_password(anonymous_api):
    UserFactory(username="ana")

    response = anonymous_api.post(
        "/api/v1/auth/token/", {"username": "ana", "password": "correct horse battery staple"}
    )

    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_bad_password_is_a_401_and_gets_no_token(anonymous_api):
    UserFactory(username="ana")

    response = anonymous_api.post("/api/v1/auth/token/", {"username": "ana", "password": "nope"})

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["errors"][0]["code"] == "authentication_failed"
    assert "token" not in response.json()


def test_a_token_request_without_a_password_is_a_400(anonymous_api):
    response = anonymous_api.post("/api/v1/auth/token/", {"username": "ana"})

    assert response.status_code == 400 and "password" in errors(response)


def test_guessing_passwords_for_a_token_is_throttled(anonymous_api, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    cache.clear()

    statuses = [
        anonymous_api.post("/api/v1/auth/token/", {"username": "ana", "password": guess}).status_code
        for guess in ("a", "b", "c")
    ]

    assert statuses == [401, 401, 429]
    cache.clear()


# TOKENS EXPIRE, AND DIE WITH A PASSWORD CHANGE


def test_an_expired_token_is_refused_and_a_new_one_is_issued(marketing_user, anonymous_api, settings):
    settings.API_TOKEN_DAYS = 30
    old = Token.objects.create(user=marketing_user)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))

    refused = token_client_for_key(old.key).get("/api/v1/customers/")
    issued = anonymous_api.post("/api/v1/auth/token/", {"username": "marketing", "password": PASSWORD})

    assert refused.status_code == 401 and "expired" in refused.json()["errors"][0]["detail"]
    new_key = issued.json()["token"]
    assert new_key != old.key and token_client_for_key(new_key).get("/api/v1/customers/").status_code == 200


def test_a_valid_token_is_issued_again_unchanged(marketing_user, anonymous_api):
    first = anonymous_api.post("/api/v1/auth/token/", {"username": "marketing", "password": PASSWORD})
    second = anonymous_api.post("/api/v1/auth/token/", {"username": "marketing", "password": PASSWORD})

    assert first.json()["token"] == second.json()["token"]


def test_changing_the_password_revokes_the_token(marketing_user):
    token = Token.objects.create(user=marketing_user)
    marketing_user.set_password("a brand new passphrase")
    marketing_user.save()

    assert token_client_for_key(token.key).get("/api/v1/customers/").status_code == 401
    assert not Token.objects.filter(user=marketing_user).exists()


def test_saving_a_user_without_a_new_password_keeps_the_token(marketing_user):
    token = Token.objects.create(user=marketing_user)
    marketing_user.first_name = "Ana"
    marketing_user.save()

    assert token_client_for_key(token.key).get("/api/v1/customers/").status_code == 200


def token_client_for_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
