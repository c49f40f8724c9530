"""Segmentation runs over the API (segmentation.api.runs): start, detail, list, activate, cancel."""

from unittest import mock

import pytest

from core.exceptions import ServiceUnavailable
from segmentation.models import SegmentationRun
from segmentation.services.runs import segmentation_run_start
from tests.factories import UserFactory, run_now, token_client

pytestmark = pytest.mark.django_db

QUEUE_UNREACHABLE = "The job queue cannot be reached; try again in a few minutes."


def test_starting_a_run_answers_202_with_its_url_and_queues_it(
    marketing_api, django_capture_on_commit_callbacks
):
    with (
        mock.patch("segmentation.tasks.execute_segmentation_run.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = marketing_api.post(
            "/api/v1/runs/",
            {"features": ["annual_income", "spending_score"], "k": 4, "seed": 3},
            format="json",
        )

    run = SegmentationRun.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"/api/v1/runs/{run.pk}/" == response.json()["url"]
    assert response.json()["status"] == "queued" and run.requested_k == 4
    delay.assert_called_once_with(run.pk)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "features"),
        ({"features": ["Shoe Size"]}, "features"),
        ({"features": ["age"], "k": 1}, "k"),
        ({"features": ["age"], "scaling": "cubic"}, "scaling"),
        ({"features": "age"}, "features"),
    ],
)
def test_bad_run_parameters_are_a_400_and_nothing_is_queued(marketing_api, body, field):
    response = marketing_api.post("/api/v1/runs/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["attr"] for error in response.json()["errors"]]
    assert not SegmentationRun.objects.exists()


def test_a_crossed_k_range_is_a_422_and_nothing_is_queued(marketing_api):
    crossed = {"features": ["age"], "k_min": 6, "k_max": 4}

    response = marketing_api.post("/api/v1/runs/", crossed, format="json")

    assert response.status_code == 422
    assert "(6, 4)" in response.json()["errors"][0]["detail"]
    assert not SegmentationRun.objects.exists()


def test_run_detail_reports_status_progress_and_sweep(marketing_api, blob_customers):
    run = run_now()

    body = marketing_api.get(f"/api/v1/runs/{run.pk}/").json()

    assert (body["status"], body["progress"], body["k"], body["is_active"]) == ("succeeded", 100, 4, True)
    assert body["k_sweep"]["ks"] == list(range(2, 11))


def test_runs_list_and_unknown_run(marketing_api, blob_customers):
    run_now()

    assert len(marketing_api.get("/api/v1/runs/").json()["results"]) == 1
    assert marketing_api.get("/api/v1/runs/999/").status_code == 404
    huge = marketing_api.get(f"/api/v1/runs/{10**30}/")
    assert huge.status_code == 404 and huge.json()["errors"][0]["code"] == "not_found"


def test_activate_switches_the_active_run_and_refuses_a_failed_one(marketing_api, blob_customers):
    run_now(k=4)
    second = run_now(k=3)
    failed = SegmentationRun.objects.create(features=["age"], status="failed", error="x")

    ok = marketing_api.post(f"/api/v1/runs/{second.pk}/activate/")
    refused = marketing_api.post(f"/api/v1/runs/{failed.pk}/activate/")

    assert ok.status_code == 200 and ok.json()["is_active"]
    assert refused.status_code == 409
    assert refused.json()["errors"][0] == {
        "code": "conflict",
        "detail": "Only a succeeded run can be made active.",
        "attr": None,
    }


def test_cancel_is_for_the_starter_or_staff(marketing_api, marketing_user, staff_api):
    mine = segmentation_run_start(started_by=marketing_user, features=["age"], enqueue=False)
    theirs = segmentation_run_start(started_by=UserFactory(), features=["age"], enqueue=False)

    assert marketing_api.post(f"/api/v1/runs/{mine.pk}/cancel/").json()["status"] == "cancelled"
    forbidden = marketing_api.post(f"/api/v1/runs/{theirs.pk}/cancel/")
    assert (
        forbidden.status_code == 403
        and "Only the user who started" in forbidden.json()["errors"][0]["detail"]
    )
    assert staff_api.post(f"/api/v1/runs/{theirs.pk}/cancel/").status_code == 200


def test_a_user_without_the_start_permission_cannot_start_runs(client):
    api = token_client(UserFactory())

    assert api.post("/api/v1/runs/", {"features": ["age"]}, format="json").status_code == 403


def test_starting_a_run_while_the_job_queue_is_down_is_a_503_in_the_error_shape(marketing_api):
    marketing_api.raise_request_exception = False  # a 5xx is reported as an exception, and answered
    with mock.patch(
        "segmentation.api.runs.segmentation_run_start", side_effect=ServiceUnavailable(QUEUE_UNREACHABLE)
    ):
        response = marketing_api.post("/api/v1/runs/", {"features": ["annual_income"]}, format="json")

    assert response.status_code == 503
    assert response.json() == {
        "type": "server_error",
        "errors": [{"code": "service_unavailable", "detail": QUEUE_UNREACHABLE, "attr": None}],
    }


def test_a_run_beyond_the_users_limit_is_a_409_and_nothing_is_queued(marketing_api, marketing_user, settings):
    settings.RUNS_IN_PROGRESS_PER_USER = 1
    segmentation_run_start(started_by=marketing_user, features=["annual_income"], enqueue=False)

    response = marketing_api.post("/api/v1/runs/", {"features": ["annual_income"]}, format="json")

    assert response.status_code == 409
    assert "run queued or running" in response.json()["errors"][0]["detail"]
    assert SegmentationRun.objects.count() == 1
