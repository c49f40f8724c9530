"""The deployment file: docker compose must accept it."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "secret"}


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if legacy := shutil.which("docker-compose"):
        return [legacy]
    pytest.skip("neither 'docker compose' nor 'docker-compose' is installed")


def test_docker_compose_accepts_the_deployment_file():
    result = subprocess.run(
        [*compose_command(), "-f", str(REPO / "docker-compose.yml"), "config"],
        env=COMPOSE_ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["web"]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert services["worker"]["environment"] == services["web"]["environment"]
    assert "gunicorn" in services["web"]["command"] and "celery" in services["worker"]["command"]
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker"))
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
