"""Segmentation runs through a real Celery worker process and broker, and under their faults.

On the embedded default the broker is the filesystem queue and the database a SQLite file;
in CI's second pass they are Redis and PostgreSQL (see the celery_worker fixture). The fault
tests stop a private Redis of their own and terminate their own PostgreSQL backend.
"""

import threading
from unittest import mock

import psycopg
import pytest
from django.db import DatabaseError, connection

from customers.services import customers_seed_demo
from segmentation.models import SegmentationRun
from segmentation.services import assignments, execution
from segmentation.services.runs import segmentation_run_start
from tests.celery_worker import database_url, manage_in_subprocess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RUN_SECONDS = 120
Status = SegmentationRun.Status


def test_run_started_in_the_portal_is_executed_by_a_worker(celery_worker):
    customers_seed_demo(count=2_000, seed=3)

    run = segmentation_run_start(started_by=None, features=["annual_income", "spending_score"])

    run = celery_worker.wait_for(run, seconds=RUN_SECONDS)
    assert run.status == SegmentationRun.Status.SUCCEEDED, run.error
    assert run.progress == 100
    assert run.segments.count() == run.k == 5
    assert run.assignments.count() == 2_000
    assert "execute_segmentation_run" in celery_worker.read_text()


# FAULTS: THE BROKER GOES DOWN, THE DATABASE DROPS THE RUN'S CONNECTION


def test_a_run_started_while_the_broker_is_down_fails_at_once_and_says_why(private_redis):
    broker_url, stop_broker = private_redis
    customers_seed_demo(count=300, seed=1)
    while_up = manage_in_subprocess("segment", "--timeout", "1", broker_url=broker_url)
    stop_broker()

    while_down = manage_in_subprocess("segment", "--timeout", "1", broker_url=broker_url)

    assert "still queued" in while_up.stderr  # published: it waits for a worker that is not there
    assert while_down.returncode == 1 and "Traceback" not in while_down.stderr
    last_line = while_down.stderr.strip().splitlines()[-1]
    assert last_line.startswith("CommandError: The job queue cannot be reached")
    queued, failed = SegmentationRun.objects.order_by("pk")
    assert (queued.status, failed.status) == (Status.QUEUED, Status.FAILED)
    assert failed.error.startswith("The job queue cannot be reached") and not failed.segments.exists()
    assert SegmentationRun.objects.active() is None


@pytest.fixture
def run_on_postgresql() -> SegmentationRun:
    """A queued run on 2,000 customers, where this test's PostgreSQL backend can be terminated."""
    if connection.vendor != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL (CI's second pass)")
    customers_seed_demo(count=2_000, seed=3)
    features = ["annual_income", "spending_score"]
    return segmentation_run_start(started_by=None, features=features, enqueue=False)


def test_a_run_whose_database_connection_drops_is_failed_saying_so(run_on_postgresql):
    report = execution._report_progress

    def drop_connection_while_choosing_k(run_id: int, percent: int, step: str) -> None:
        if step.startswith("Choosing K"):
            _terminate_this_backend()
        report(run_id, percent, step)

    with (
        mock.patch.object(execution, "_report_progress", drop_connection_while_choosing_k),
        pytest.raises(DatabaseError),
    ):
        execution.segmentation_run_execute(run_id=run_on_postgresql.pk)

    _assert_failed_for_the_lost_connection(run_on_postgresql)


def test_a_run_whose_database_connection_drops_while_it_saves_is_failed_saying_so(run_on_postgresql):
    """Dropped as the assignments are written, while the second thread measures the quality:
    the run fails saying why, nothing of it is kept, and the measuring thread is waited for."""
    insert_columns = assignments.insert_columns

    def drop_connection_then_insert(**kwargs) -> None:
        _terminate_this_backend()
        insert_columns(**kwargs)

    with (
        mock.patch.object(assignments, "insert_columns", drop_connection_then_insert),
        pytest.raises(DatabaseError),
    ):
        execution.segmentation_run_execute(run_id=run_on_postgresql.pk)

    _assert_failed_for_the_lost_connection(run_on_postgresql)
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("maths")]


def _terminate_this_backend() -> None:
    """End this test's own PostgreSQL session from outside, as a restart or a failover would."""
    with psycopg.connect(database_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])


def _assert_failed_for_the_lost_connection(run: SegmentationRun) -> None:
    run.refresh_from_db()
    assert (run.status, run.error) == (Status.FAILED, execution.DATABASE_LOST)
    assert not run.segments.exists() and not run.assignments.exists()
