"""Settings come from the environment with production-safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "kq3-7Vw0t9bX2yZ5mN8pQ1rS4uV6wX9yA2bC5dE8fG1hJ4kL7mN0pQ3rS6tU9vW2",
    "ALLOWED_HOSTS": "mallseg.example.com",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    clean["DJANGO_SETTINGS_MODULE"] = "mallseg.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_server_refuses_to_start_without_secret_key_when_debug_is_off():
    result = manage("check", env={})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=PRODUCTION_ENV
    )

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


def test_kept_database_connections_are_checked_before_reuse():
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)

    assert result.stdout.strip().splitlines()[-1] == "True"
