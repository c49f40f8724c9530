"""The client's address comes from one trusted place (core.http), for the login lockout and the
API's rate limits alike: REMOTE_ADDR when no proxy is trusted, the outermost trusted proxy's view
behind TRUSTED_PROXY_COUNT proxies. A client cannot choose its address by writing X-Forwarded-For."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from core.http import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"


def _request(remote_address: str, forwarded_for: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_address, **headers)


@pytest.mark.parametrize(
    ("proxies", "remote_address", "forwarded_for", "expected"),
    [
        (0, CLIENT_A, "1.2.3.4", CLIENT_A),  # no trusted proxy: the header is the client's own words
        (1, PROXY, f"1.2.3.4, {CLIENT_A}", CLIENT_A),  # the proxy appended what it saw
        (2, PROXY, f"1.2.3.4, {CLIENT_A}, 10.0.0.2", CLIENT_A),
        (2, PROXY, CLIENT_A, CLIENT_A),  # fewer hops than proxies: the farthest one there is
        (1, PROXY, None, PROXY),  # reached the app directly
    ],
)
def test_the_client_address_is_what_the_trusted_hops_saw(settings, proxies, remote_address, forwarded_for,
                                                         expected):  # fmt: skip
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(_request(remote_address, forwarded_for)) == expected


@pytest.fixture
def token_rate_of_two(monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    cache.clear()
    yield
    cache.clear()


def _token_attempt(remote_address: str, forwarded_for: str) -> int:
    client = APIClient(REMOTE_ADDR=remote_address, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post("/api/v1/auth/token/", {"username": "ana", "password": "guess"}).status_code


def test_a_direct_client_cannot_escape_the_rate_limit_by_forging_x_forwarded_for(settings, token_rate_of_two):
    settings.TRUSTED_PROXY_COUNT = 0

    statuses = [_token_attempt(CLIENT_A, f"192.0.2.{n}") for n in range(3)]

    assert statuses == [401, 401, 429]


def test_behind_a_proxy_each_client_has_its_own_rate_limit(settings, token_rate_of_two):
    settings.TRUSTED_PROXY_COUNT = 1

    first_client = [_token_attempt(PROXY, f"192.0.2.{n}, {CLIENT_A}") for n in range(3)]
    second_client = _token_attempt(PROXY, CLIENT_B)

    assert first_client == [401, 401, 429] and second_client == 401


def _portal_login(client, remote_address: str, forwarded_for: str, password: str) -> int:
    response = client.post(
        reverse("login"),
        {"username": "admin", "password": password},
        REMOTE_ADDR=remote_address,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


def test_behind_a_proxy_a_lockout_holds_one_client_not_everyone(settings, client):
    settings.TRUSTED_PROXY_COUNT, settings.AXES_FAILURE_LIMIT = 1, 3
    UserFactory(username="admin", is_staff=True)

    guesses = [_portal_login(client, PROXY, CLIENT_A, "guess") for _ in range(3)]
    other_client = _portal_login(client, PROXY, CLIENT_B, PASSWORD)

    assert guesses[-1] == 429
    assert other_client == 302  # logged in: the proxy's address is not what was locked out


def test_a_direct_client_forging_x_forwarded_for_stays_locked_out(settings, client):
    settings.TRUSTED_PROXY_COUNT, settings.AXES_FAILURE_LIMIT = 0, 3
    UserFactory(username="admin", is_staff=True)

    guesses = [_portal_login(client, CLIENT_A, f"192.0.2.{n}", "guess") for n in range(3)]
    forged = _portal_login(client, CLIENT_A, CLIENT_B, PASSWORD)

    assert guesses[-1] == forged == 429
