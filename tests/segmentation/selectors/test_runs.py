"""Runs as their watchers see them: a run whose worker died reads as failed, and nothing is written."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from segmentation.models import SegmentationRun
from segmentation.selectors.runs import run_as_seen, run_outcome
from tests.factories import run_now

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status


@pytest.fixture
def stale_run(settings) -> SegmentationRun:
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 60
    return SegmentationRun.objects.create(
        features=["annual_income"],
        status=Status.RUNNING,
        step="Fitting 5 segments",
        heartbeat_at=timezone.now() - timedelta(minutes=5),
    )


def test_a_run_whose_worker_stopped_reads_as_failed_with_the_reason(stale_run):
    seen = run_as_seen(SegmentationRun.objects.get(pk=stale_run.pk))

    assert (seen.status, seen.step) == (Status.FAILED, "Failed")
    assert "stopped responding" in seen.error and "Fitting 5 segments" in seen.error


def test_reading_a_stale_run_writes_nothing(stale_run):
    run_as_seen(SegmentationRun.objects.get(pk=stale_run.pk))

    stale_run.refresh_from_db()
    assert (stale_run.status, stale_run.error) == (Status.RUNNING, "")


def test_a_run_with_a_recent_heartbeat_reads_as_it_is(settings):
    settings.JOB_HEARTBEAT_TIMEOUT_SECONDS = 60
    run = SegmentationRun.objects.create(
        features=["annual_income"], status=Status.RUNNING, heartbeat_at=timezone.now()
    )

    assert run_as_seen(run).status == Status.RUNNING


def test_the_status_poll_shows_a_stale_run_failed_without_writing(marketing_client, stale_run):
    body = marketing_client.get(reverse("segmentation:run-status", args=[stale_run.pk])).json()

    assert (body["status"], body["finished"]) == ("failed", True)
    assert "stopped responding" in body["error"]
    stale_run.refresh_from_db()
    assert stale_run.status == Status.RUNNING


def test_the_api_shows_a_stale_run_failed_in_detail_and_list_without_writing(marketing_api, stale_run):
    detail = marketing_api.get(f"/api/v1/runs/{stale_run.pk}/").json()
    listed = marketing_api.get("/api/v1/runs/").json()["results"]

    assert detail["status"] == "failed" and "stopped responding" in detail["error"]
    assert [run["status"] for run in listed if run["id"] == stale_run.pk] == ["failed"]
    stale_run.refresh_from_db()
    assert stale_run.status == Status.RUNNING


def test_a_run_outcome_lists_every_segment_with_its_persona(mall_customers):
    outcome = run_outcome(run=run_now())

    assert (outcome["status"], outcome["k"], outcome["customers"]) == ("succeeded", 5, 200)
    assert [segment["size"] for segment in outcome["segments"]] == [81, 39, 35, 23, 22]
    assert "Premium Shoppers" in {segment["persona"] for segment in outcome["segments"]}


def test_a_queued_run_no_worker_picked_up_reads_as_failed(settings):
    settings.JOB_QUEUE_TIMEOUT_SECONDS = 600
    run = SegmentationRun.objects.create(features=["annual_income"])
    SegmentationRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=30))

    seen = run_as_seen(SegmentationRun.objects.get(pk=run.pk))

    assert seen.status == Status.FAILED and "No worker picked this run up" in seen.error
