"""The accounts app's management command reset_demo_logins."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_reset_demo_logins_prints_working_logins(client, capsys):
    call_command("reset_demo_logins")
    output = capsys.readouterr().out

    analyst_line = next(line for line in output.splitlines() if "analyst" in line and "user:" in line)
    password = analyst_line.split("password:")[1].strip()
    response = client.post(reverse("login"), {"username": "analyst", "password": password})
    assert response.status_code == 302 and response.url == reverse("segmentation:dashboard")
