"""A real Celery worker process (and a private Redis to stop) for integration and browser tests.

The worker opens the same test database as the tests (a SQLite file on the embedded default,
PostgreSQL in CI's second pass) and listens on the configured broker (the filesystem queue,
or Redis). Tests that use it must commit their data: mark them
``django_db(transaction=True, serialized_rollback=True)``.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[1]
WORKER_START_SECONDS = 60
COMMAND_SECONDS = 120


def database_url() -> str:
    """The URL of the test database this process uses, for the worker to open the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage_in_subprocess(*args: str, broker_url: str) -> subprocess.CompletedProcess:
    """Run a management command in a process of its own, on the test database and ``broker_url``."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mallseg.settings_test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
    )


@dataclass(frozen=True)
class RunningWorker:
    """The worker process and its log, for tests that read what it did or kill it."""

    process: subprocess.Popen
    log: Path

    def read_text(self) -> str:
        return self.log.read_text()

    def wait_for(self, job, *, seconds: float, until=None):
        """Refresh ``job`` (a run, import or forecast row) until ``until(job)`` holds, by default until
        it has finished; fail with the worker's log once ``seconds`` have passed."""
        until = until or (lambda job: job.is_finished)
        deadline = time.monotonic() + seconds
        while not until(job):
            assert time.monotonic() < deadline, f"{job} still {job.status} ({job.step}):\n{self.read_text()}"
            time.sleep(0.1)
            job.refresh_from_db()
        return job


@pytest.fixture
def celery_worker(tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mallseg.settings_test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_BROKER_FOLDER": str(getattr(settings, "CELERY_BROKER_FOLDER", "")),
    }
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mallseg", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while "ready." not in log.read_text():
            assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield RunningWorker(process=worker, log=log)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of the test's own on a free port, to stop it while the app uses it as broker.

    Yields its URL and a function that stops it (the machine's shared Redis is never touched).
    """
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    server = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + WORKER_START_SECONDS
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode:
        assert server.poll() is None and time.monotonic() < deadline, "the private redis-server did not start"
        time.sleep(0.1)

    def stop() -> None:
        server.terminate()
        server.wait(timeout=10)

    try:
        yield f"redis://127.0.0.1:{port}/0", stop
    finally:
        if server.poll() is None:
            stop()
