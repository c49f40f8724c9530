"""Starting, cancelling and activating segmentation runs (segmentation.services.runs)."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kombu.exceptions import OperationalError as BrokerError

from core.exceptions import Conflict, ServiceUnavailable
from segmentation.models import SegmentationRun
from segmentation.services.runs import (
    segmentation_run_activate,
    segmentation_run_cancel,
    segmentation_run_start,
)
from tests.factories import UserFactory, run_now

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status


# STARTING


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"features": ["shoe_size"]}, "Unknown feature"),
        ({"features": []}, "at least one feature"),
        ({"k": 1}, "K must be a whole number from 2 to 50"),
        ({"scaling": "cubic"}, "Unknown scaling"),
        ({"algorithm": "magic"}, "Unknown algorithm"),
        ({"k_range": (5, 3)}, "K range"),
    ],
)
def test_invalid_parameters_are_refused_before_anything_is_queued(parameters, message):
    with pytest.raises(ValidationError, match=message):
        segmentation_run_start(
            started_by=None, enqueue=False, **{"features": ["annual_income"], **parameters}
        )

    assert not SegmentationRun.objects.exists()


def test_starting_a_run_enqueues_it_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch("segmentation.tasks.execute_segmentation_run.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = segmentation_run_start(started_by=None, features=["annual_income"])

    delay.assert_called_once_with(run.pk)
    assert run.status == Status.QUEUED


# CANCELLING


def test_the_user_who_started_a_run_can_cancel_it():
    analyst = UserFactory()
    run = segmentation_run_start(started_by=analyst, enqueue=False, features=["annual_income"])

    segmentation_run_cancel(run=run, user=analyst)

    assert run.status == Status.CANCELLED


def test_another_analyst_cannot_cancel_a_run_but_staff_can():
    run = segmentation_run_start(started_by=UserFactory(), enqueue=False, features=["annual_income"])

    with pytest.raises(PermissionDenied):
        segmentation_run_cancel(run=run, user=UserFactory())
    segmentation_run_cancel(run=run, user=UserFactory(is_staff=True))

    assert run.status == Status.CANCELLED


def test_a_finished_run_cannot_be_cancelled(blob_customers):
    run = run_now(k=4)

    with pytest.raises(ValidationError, match="already succeeded"):
        segmentation_run_cancel(run=run, user=UserFactory(is_staff=True))


# ACTIVATING


def test_activating_a_run_deactivates_the_previous_one(blob_customers):
    first, second = run_now(k=4), run_now(k=3)

    segmentation_run_activate(run=second)

    first.refresh_from_db()
    assert not first.is_active
    assert SegmentationRun.objects.active() == second


def test_only_a_succeeded_run_can_be_activated(db):
    failed = run_now()

    with pytest.raises(ValidationError, match="Only a succeeded run"):
        segmentation_run_activate(run=failed)


# THE JOB QUEUE UNREACHABLE


def test_a_run_whose_task_cannot_be_published_is_failed_and_refused(django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "segmentation.tasks.execute_segmentation_run.delay",
            side_effect=BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        ),
        pytest.raises(ServiceUnavailable, match="The job queue cannot be reached"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        segmentation_run_start(started_by=None, features=["annual_income"])

    run = SegmentationRun.objects.get()
    assert (run.status, run.step) == (Status.FAILED, "Failed")
    assert run.error.startswith("The job queue cannot be reached, so the run could not be started")


# WHO MAY CANCEL A RUN STARTED FROM THE COMMAND LINE


def test_a_run_started_from_the_command_line_may_be_cancelled_by_anyone_who_may_start_runs(marketing_user):
    run = segmentation_run_start(started_by=None, features=["annual_income"], enqueue=False)

    assert segmentation_run_cancel(run=run, user=marketing_user).status == Status.CANCELLED


def test_a_user_who_may_not_start_runs_cannot_cancel_one_started_from_the_command_line():
    run = segmentation_run_start(started_by=None, features=["annual_income"], enqueue=False)

    with pytest.raises(PermissionDenied):
        segmentation_run_cancel(run=run, user=UserFactory())
    run.refresh_from_db()
    assert run.status == Status.QUEUED


# ONE USER CANNOT FILL THE QUEUE


def test_a_user_with_the_most_runs_in_progress_cannot_start_another(settings, marketing_user):
    settings.RUNS_IN_PROGRESS_PER_USER = 2
    for _ in range(2):
        segmentation_run_start(started_by=marketing_user, features=["annual_income"], enqueue=False)

    with pytest.raises(Conflict, match="You already have 2 runs queued or running"):
        segmentation_run_start(started_by=marketing_user, features=["annual_income"], enqueue=False)

    assert SegmentationRun.objects.count() == 2


def test_finished_runs_and_other_users_runs_do_not_count_against_the_limit(settings, marketing_user):
    settings.RUNS_IN_PROGRESS_PER_USER = 1
    finished = segmentation_run_start(started_by=marketing_user, features=["annual_income"], enqueue=False)
    segmentation_run_cancel(run=finished, user=marketing_user)
    segmentation_run_start(started_by=UserFactory(), features=["annual_income"], enqueue=False)

    run = segmentation_run_start(started_by=marketing_user, features=["annual_income"], enqueue=False)

    assert run.status == Status.QUEUED
