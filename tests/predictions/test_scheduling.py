"""A scheduled re-segmentation also retrains the lapse-risk and spend models, once it commits."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError as BrokerError

from predictions.models import Forecast
from segmentation.models import SegmentationRun
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.schedules import schedule_start_run
from tests.factories import run_now
from tests.segmentation.services.test_schedules import weekly

pytestmark = pytest.mark.django_db
PUBLISH = "predictions.tasks.execute_forecast.delay"


def execute_committing(run: SegmentationRun, capture) -> None:
    with capture(execute=True):
        segmentation_run_execute(run_id=run.pk)


def test_a_scheduled_resegmentation_queues_a_forecast(
    blob_customers, marketing_user, settings, django_capture_on_commit_callbacks
):
    run = schedule_start_run(schedule_id=weekly(marketing_user).pk)

    with mock.patch(PUBLISH) as publish:
        execute_committing(run, django_capture_on_commit_callbacks)

    forecast = Forecast.objects.get()
    assert (forecast.started_by, forecast.horizon_days) == (None, settings.FORECAST_HORIZON_DAYS)
    publish.assert_called_once_with(forecast.pk)


def test_a_run_started_by_hand_retrains_nothing(blob_customers, django_capture_on_commit_callbacks):
    with mock.patch(PUBLISH), django_capture_on_commit_callbacks(execute=True):
        run_now(k=4)

    assert not Forecast.objects.exists()


def test_no_second_forecast_is_queued_while_one_is_unfinished(
    blob_customers, marketing_user, django_capture_on_commit_callbacks
):
    waiting = Forecast.objects.create(horizon_days=90)
    run = schedule_start_run(schedule_id=weekly(marketing_user).pk)

    with mock.patch(PUBLISH) as publish:
        execute_committing(run, django_capture_on_commit_callbacks)

    assert list(Forecast.objects.all()) == [waiting]
    publish.assert_not_called()


def test_a_queue_that_cannot_be_reached_fails_the_forecast_but_not_the_run(
    blob_customers, marketing_user, django_capture_on_commit_callbacks
):
    run = schedule_start_run(schedule_id=weekly(marketing_user).pk)

    with mock.patch(PUBLISH, side_effect=BrokerError("Connection refused.")):
        execute_committing(run, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert run.status == SegmentationRun.Status.SUCCEEDED
    assert Forecast.objects.get().error.startswith("The job queue cannot be reached")
