"""What every fault scenario of ``fault_injection.py`` stands on: a private Redis, real Celery
workers, the scenarios' own PostgreSQL database, and waiting for a job to get somewhere."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("FAULTS_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
DATABASE = "mallseg_faults"
HEARTBEAT_TIMEOUT_SECONDS = 10
WAIT_SECONDS = 120


# REDIS


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A Redis of the script's own, so stopping it never touches the machine's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        wait_for(lambda: _redis_answers(self.port), "the private Redis to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _redis_answers(port: int) -> bool:
    return subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0


# WORKERS


def start_worker(environment: dict[str, str], log: Path) -> subprocess.Popen:
    """A real worker (prefork, one pool process), as production runs it."""
    command = [sys.executable, "-m", "celery", "-A", "mallseg", "worker", "--concurrency=1", "-l", "INFO"]
    with log.open("w") as output:
        worker = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    wait_for(lambda: "ready." in log.read_text(), "the worker to start")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def pool_process(worker: subprocess.Popen) -> int:
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    return int(children[0])


def environment_for(database_url: str, broker_url: str, uploads: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mallseg.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "JOB_HEARTBEAT_TIMEOUT_SECONDS": str(HEARTBEAT_TIMEOUT_SECONDS),
        "IMPORT_UPLOAD_DIR": str(uploads),
    }


# WAITING


def wait_for(condition, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Gave up waiting for {what}.")
        time.sleep(0.1)


def job_finished(job) -> bool:
    """For a run or an import (``core.jobs``): has it reached a final status?"""
    job.refresh_from_db()
    return job.is_finished


# THE DATABASE


def fresh_database() -> str:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return f"{SERVER_URL}/{DATABASE}"


def drop_database() -> None:
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def terminate_connections_but(backend_pid: int) -> None:
    """Terminate every connection to the scenarios' database except ``backend_pid`` (the script's)."""
    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            [DATABASE, backend_pid],
        )
