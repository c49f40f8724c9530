"""The API token endpoint (accounts.api): a token for a username and password, and
throttled password guessing."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
