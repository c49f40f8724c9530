"""Schedules on the portal (for Marketing) and in admin: create, change, pause, delete, refused
input naming the field, and a run waiting for review saying why on its page."""

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from segmentation.models import SegmentationSchedule
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Weekly",
    "cron": "0 6 * * 1",
    "enabled": "on",
    "max_silhouette_drop": "0.05",
    "min_customers_kept": "0.8",
    "features": ["annual_income", "spending_score"],
    "algorithm": "kmeans",
    "k_mode": "auto",
    "k_min": "2",
    "k_max": "10",
    "scaling": "standard",
    "seed": "42",
}


def test_marketing_creates_pauses_and_deletes_a_schedule(marketing_client):
    created = marketing_client.post(reverse("segmentation:schedule-new"), FORM)
    schedule = SegmentationSchedule.objects.get()
    assert created.status_code == 302
    listing = marketing_client.get(reverse("segmentation:schedules")).content.decode()
    assert "Weekly" in listing and "0 6 * * 1" in listing and "K automatic" in listing

    edit_page = marketing_client.get(reverse("segmentation:schedule", args=[schedule.pk])).content.decode()
    assert 'value="0 6 * * 1"' in edit_page
    paused = {key: value for key, value in FORM.items() if key != "enabled"}
    marketing_client.post(reverse("segmentation:schedule", args=[schedule.pk]), paused)
    assert not PeriodicTask.objects.get().enabled
    assert "Paused" in marketing_client.get(reverse("segmentation:schedules")).content.decode()

    marketing_client.post(reverse("segmentation:schedule-delete", args=[schedule.pk]))
    assert not SegmentationSchedule.objects.exists() and not PeriodicTask.objects.exists()


def test_a_bad_cron_is_refused_on_its_field(marketing_client):
    response = marketing_client.post(reverse("segmentation:schedule-new"), {**FORM, "cron": "0 25 * * 1"})
    page = response.content.decode()
    assert response.status_code == 400 and "hour" in page and not SegmentationSchedule.objects.exists()


def test_schedules_need_their_permissions(client):
    client.force_login(UserFactory())
    assert client.get(reverse("segmentation:schedules")).status_code == 403
    assert client.post(reverse("segmentation:schedule-new"), FORM).status_code == 403


def test_staff_manage_schedules_in_admin(staff_client):
    add = reverse("admin:segmentation_segmentationschedule_add")
    data = {
        "name": "Monthly",
        "cron": "0 5 1 * *",
        "enabled": "on",
        "run_parameters": '{"features": ["annual_income", "spending_score"], "k": null, "k_range": [2, 10]}',
        "max_silhouette_drop": "0.05",
        "min_customers_kept": "0.8",
    }
    refused = staff_client.post(add, {**data, "cron": "soon"})
    unknown_setting = staff_client.post(add, {**data, "run_parameters": '{"features": ["age"], "colour": 1}'})
    saved = staff_client.post(add, data)

    assert refused.status_code == 200 and "Five fields" in refused.content.decode()
    assert (
        unknown_setting.status_code == 200
        and "Unknown run setting(s): colour" in unknown_setting.content.decode()
    )
    assert saved.status_code == 302
    assert PeriodicTask.objects.get().crontab.day_of_month == "1"
