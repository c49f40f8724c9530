"""Scheduled re-segmentation (segmentation.services.schedules and guardrails): a schedule keeps a
django-celery-beat task in step, its runs start from beat, and a scheduled run activates itself
only when its guardrails hold; otherwise it waits for review, saying why."""

import json

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_celery_beat.models import PeriodicTask

from customers.models import Customer
from segmentation.models import RunActivation, SegmentationRun, SegmentationSchedule
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.schedules import SCHEDULED_TASK, schedule_delete, schedule_save, schedule_start_run
from tests.factories import CustomerFactory, UserFactory, run_now

pytestmark = pytest.mark.django_db

FOUR_SEGMENTS = {
    "features": ["annual_income", "spending_score"],
    "algorithm": "kmeans",
    "algorithm_parameters": {},
    "k": 4,
    "k_range": [2, 10],
    "scaling": "standard",
    "seed": 42,
}


def weekly(user, **changes) -> SegmentationSchedule:
    settings = {
        "name": "Weekly",
        "cron": "0 6 * * 1",
        "enabled": True,
        "run_parameters": FOUR_SEGMENTS,
        "max_silhouette_drop": 0.05,
        "min_customers_kept": 0.8,
    }
    return schedule_save(user=user, **{**settings, **changes})


def scheduled_run(schedule) -> SegmentationRun:
    run = schedule_start_run(schedule_id=schedule.pk)
    segmentation_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


def test_a_schedule_keeps_its_beat_task_in_step(marketing_user):
    schedule = weekly(marketing_user)
    task = PeriodicTask.objects.get()
    assert (task.task, json.loads(task.args), task.enabled) == (SCHEDULED_TASK, [schedule.pk], True)
    assert schedule.cron == "0 6 * * 1" and "Monday" in schedule.when_in_words

    weekly(marketing_user, schedule=schedule, cron="30 7 1 * *", enabled=False)
    task.refresh_from_db()
    assert (schedule.cron, task.enabled, PeriodicTask.objects.count()) == ("30 7 1 * *", False, 1)

    schedule_delete(user=marketing_user, schedule=schedule)
    assert not PeriodicTask.objects.exists() and not SegmentationSchedule.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cron": "every monday"}, "cron"),
        ({"cron": "61 6 * * 1"}, "cron"),
        ({"run_parameters": {**FOUR_SEGMENTS, "features": ["shoe_size"]}}, None),
        ({"min_customers_kept": 1.5}, "min_customers_kept"),
        ({"name": " "}, "name"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_problem_and_nothing_is_saved(marketing_user, changes, field):
    with pytest.raises(ValidationError) as refused:
        weekly(marketing_user, **changes)
    if field:
        assert field in refused.value.message_dict
    assert not SegmentationSchedule.objects.exists() and not PeriodicTask.objects.exists()


def test_managing_schedules_needs_the_permission():
    with pytest.raises(PermissionDenied):
        weekly(UserFactory())


def test_a_paused_schedule_or_one_still_running_starts_nothing(blob_customers, marketing_user):
    paused = weekly(marketing_user, enabled=False)
    assert schedule_start_run(schedule_id=paused.pk) is None

    running = weekly(marketing_user, schedule=paused, enabled=True)
    first = schedule_start_run(schedule_id=running.pk)
    assert first.schedule == running and first.status == SegmentationRun.Status.QUEUED
    assert schedule_start_run(schedule_id=running.pk) is None  # beat fired twice: one run
    assert schedule_start_run(schedule_id=999_999) is None  # deleted meanwhile


def test_a_scheduled_rerun_on_steady_data_activates_itself(blob_customers, marketing_user):
    run_now(k=4)
    run = scheduled_run(weekly(marketing_user))
    assert run.is_active and run.review_reason == ""
    assert RunActivation.objects.filter(run=run, activated_by=None).exists()


def test_a_scheduled_run_that_moved_too_many_customers_waits_for_review(blob_customers, marketing_user):
    active = run_now(k=4)
    careful = Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).order_by("pk")[:3]
    Customer.objects.filter(pk__in=[customer.pk for customer in careful]).update(spending_score=81)

    run = scheduled_run(weekly(marketing_user, min_customers_kept=0.99))

    assert not run.is_active and SegmentationRun.objects.get(is_active=True) == active
    assert "95% of the customers stayed in the segment that continues theirs" in run.review_reason
    assert "(the schedule asks for 99%)" in run.review_reason


def test_a_scheduled_run_on_data_without_groups_waits_for_review(marketing_user):
    rng = np.random.default_rng(0)
    for income, spending in zip(rng.uniform(15, 137, 400), rng.uniform(1, 100, 400), strict=True):
        CustomerFactory(annual_income=round(float(income)), spending_score=round(float(spending)))
    run_now(k=4)

    run = scheduled_run(weekly(marketing_user, max_silhouette_drop=1.0, min_customers_kept=0.0))

    assert not run.is_active
    assert run.review_reason.startswith("Waiting for review: the customers form no natural groups")
