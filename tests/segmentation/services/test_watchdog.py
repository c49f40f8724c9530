"""Runs whose worker died or that no worker picked up are failed (segmentation.services.watchdog)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from segmentation.models import SegmentationRun
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.watchdog import segmentation_runs_fail_stale

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status


def test_run_whose_worker_stopped_sending_heartbeats_is_marked_failed(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 60
    stale = SegmentationRun.objects.create(
        features=["annual_income"], status=Status.RUNNING, step="Fitting 5 segments",
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip
    fresh = SegmentationRun.objects.create(
        features=["annual_income"], status=Status.RUNNING, heartbeat_at=timezone.now()
    )

    assert segmentation_runs_fail_stale() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Status.FAILED
    assert "stopped responding" in stale.error and "Fitting 5 segments" in stale.error
    assert fresh.status == Status.RUNNING


def test_a_queued_run_no_worker_picked_up_is_failed_after_the_queue_timeout(settings):
    settings.JOB_QUEUE_TIMEOUT_SECONDS = 600
    lost = SegmentationRun.objects.create(features=["annual_income"], step="Waiting for a worker")
    waiting = SegmentationRun.objects.create(features=["annual_income"], step="Waiting for a worker")
    SegmentationRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert segmentation_runs_fail_stale() == 1

    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == Status.FAILED and lost.finished_at is not None
    assert lost.error.startswith("No worker picked this run up within 10 minutes")
    assert waiting.status == Status.QUEUED


def test_a_lost_queued_run_whose_message_arrives_late_does_nothing(settings, blob_customers):
    settings.JOB_QUEUE_TIMEOUT_SECONDS = 600
    run = SegmentationRun.objects.create(features=["annual_income", "spending_score"])
    SegmentationRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))
    segmentation_runs_fail_stale()

    segmentation_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == Status.FAILED and not run.segments.exists()
