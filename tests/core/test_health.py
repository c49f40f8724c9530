"""The health check the container orchestrator polls (core.health, scripts/web-healthcheck.py)."""

import importlib.util
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db
HEALTHCHECK_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "web-healthcheck.py"


def test_the_health_check_answers_without_a_login_or_an_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz/")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_health_check_fails_when_the_database_does_not_answer(client):
    with mock.patch("core.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz/")

    assert response.status_code == 503


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [("mallseg.example.com,localhost", "mallseg.example.com"), (".example.com", "health.example.com"),
     ("*", "localhost"), ("", "localhost")],
)  # fmt: skip
def test_the_container_health_check_sends_a_host_the_app_accepts(monkeypatch, allowed_hosts, host):
    spec = importlib.util.spec_from_file_location("web_healthcheck", HEALTHCHECK_SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setenv("ALLOWED_HOSTS", allowed_hosts)

    assert script.allowed_host() == host
