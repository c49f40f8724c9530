"""A segmentation run through a real Celery worker process and the configured broker.

On the embedded default the broker is the filesystem queue and the database a SQLite file;
in CI's second pass they are Redis and PostgreSQL. The worker is a separate process that
opens the test database, so the test commits its data (transactional database).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from customers.services import customers_seed_demo
from segmentation.models import SegmentationRun
from segmentation.services import segmentation_run_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPO = Path(__file__).resolve().parents[2]
WORKER_START_SECONDS = 60
RUN_SECONDS = 120


def database_url() -> str:
    """The URL of the test database this process uses, for the worker to open the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


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
        yield log
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_run_started_in_the_portal_is_executed_by_a_worker(celery_worker):
    customers_seed_demo(count=2_000, seed=3)

    run = segmentation_run_start(started_by=None, features=["annual_income", "spending_score"])

    deadline = time.monotonic() + RUN_SECONDS
    progress_seen = set()
    while not run.is_finished:
        assert time.monotonic() < deadline, f"run still {run.status}:\n{celery_worker.read_text()}"
        time.sleep(0.1)
        run.refresh_from_db()
        progress_seen.add(run.progress)
    assert run.status == SegmentationRun.Status.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.segments.count() == run.k == 5
    assert run.assignments.count() == 2_000
    assert "execute_segmentation_run" in celery_worker.read_text()
