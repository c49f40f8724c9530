"""Password guessing: after LOGIN_FAILURE_LIMIT failures for one username from one address,
the portal, the admin and the API token endpoint all refuse that pair for a while."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def failure_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_the_portal_locks_a_username_out_after_too_many_wrong_passwords(client, failure_limit):
    UserFactory(username="ana")
    login = reverse("login")

    wrong = [client.post(login, {"username": "ana", "password": "guess"}) for _ in range(failure_limit)]
    right = client.post(login, {"username": "ana", "password": PASSWORD})

    assert [response.status_code for response in wrong[:-1]] == [200] * (failure_limit - 1)
    assert wrong[-1].status_code == right.status_code == 429
    assert "Too many failed logins" in right.content.decode()
    assert right["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


@pytest.fixture
def ana_locked_out(client, failure_limit):
    """Ana (staff) after too many wrong passwords on the portal's login page."""
    UserFactory(username="ana", is_staff=True)
    for _ in range(failure_limit):
        client.post(reverse("login"), {"username": "ana", "password": "guess"})


def test_a_lockout_on_the_portal_holds_on_the_admin_login_too(client, ana_locked_out):
    response = client.post(reverse("admin:login"), {"username": "ana", "password": PASSWORD})

    assert response.status_code == 429


def test_a_lockout_is_per_username(client, ana_locked_out):
    UserFactory(username="ben")

    response = client.post(reverse("login"), {"username": "ben", "password": PASSWORD})

    assert response.status_code == 302


def test_an_admin_clears_a_lockout(client, ana_locked_out):
    call_command("axes_reset_username", "ana")
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD})

    assert response.status_code == 302


def test_the_api_token_endpoint_answers_429_once_locked_out(failure_limit):
    UserFactory(username="ana")
    anonymous_api = APIClient()
    url = "/api/v1/auth/token/"

    guess = {"username": "ana", "password": "guess"}
    guesses = [anonymous_api.post(url, guess) for _ in range(failure_limit)]
    locked = anonymous_api.post(url, {"username": "ana", "password": PASSWORD})

    assert [guess.status_code for guess in guesses] == [401] * (failure_limit - 1) + [429]
    assert locked.status_code == 429 and "token" not in locked.json()
    assert locked.json()["errors"][0]["detail"].startswith("Too many failed logins")
