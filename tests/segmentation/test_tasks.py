"""A segmentation run through a real Celery worker process and the configured broker.

On the embedded default the broker is the filesystem queue and the database a SQLite file;
in CI's second pass they are Redis and PostgreSQL (see the celery_worker fixture).
"""

import time

import pytest

from customers.services import customers_seed_demo
from segmentation.models import SegmentationRun
from segmentation.services.runs import segmentation_run_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RUN_SECONDS = 120


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
