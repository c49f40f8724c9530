"""Runs whose worker stopped sending heartbeats are failed (segmentation.services.watchdog)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from segmentation.models import SegmentationRun
from segmentation.services.watchdog import segmentation_runs_fail_stale

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status


def test_run_whose_worker_stopped_sending_heartbeats_is_marked_failed(settings):
    settings.RUN_HEARTBEAT_TIMEOUT_SECONDS = 60
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
