"""The audit trail (django-auditlog): who imported which file, started, cancelled or activated
which run, and changed personas, campaigns, customers or segments, and when; in admin, on the
staff page, and on the run and import pages."""

import io

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from customers.models import Customer, CustomerImport
from segmentation.models import Campaign, Persona, RunActivation, SegmentationRun, SegmentationSchedule
from tests.factories import CustomerFactory, run_now
from tests.segmentation.test_schedule_views import FORM as SCHEDULE_FORM

pytestmark = pytest.mark.django_db

START = {"features": ["annual_income", "spending_score"], "k_mode": "fixed", "k": 4, "scaling": "standard"}


def entries_about(obj) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("pk"))


def test_an_import_records_who_imported_which_file(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    file = io.BytesIO(b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n1,Male,30,40,50\n")
    file.name = "november.csv"
    with django_capture_on_commit_callbacks():
        staff_client.post(reverse("customers:import"), {"file": file})

    created = entries_about(CustomerImport.objects.get())[0]
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, staff_user)
    assert created.changes_dict["file_name"][1] == "november.csv"


def test_starting_and_cancelling_a_run_are_recorded_with_their_user(
    marketing_client, marketing_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        marketing_client.post(reverse("segmentation:runs"), {**START, "seed": 1})
    run = SegmentationRun.objects.get()
    marketing_client.post(reverse("segmentation:run-cancel", args=[run.pk]))

    started, cancelled = entries_about(run)
    assert (started.action, started.actor) == (LogEntry.Action.CREATE, marketing_user)
    assert (cancelled.actor, cancelled.changes_dict["status"]) == (marketing_user, ["queued", "cancelled"])


def test_activating_a_run_is_recorded(blob_customers, marketing_client, marketing_user):
    run_now(k=4)
    second = run_now(k=3)
    marketing_client.post(reverse("segmentation:run-activate", args=[second.pk]))

    change = entries_about(second)[-1]
    assert (change.actor, change.changes_dict["is_active"]) == (marketing_user, ["False", "True"])
    activation = RunActivation.objects.get(run=second)
    assert entries_about(activation)[0].actor == marketing_user


def test_changes_through_the_api_name_the_token_user(staff_api, staff_user):
    customer = CustomerFactory(spending_score=40)
    staff_api.patch(f"/api/v1/customers/{customer.pk}/", {"spending_score": 70})
    persona = Persona.objects.get(name="Premium Shoppers")
    staff_api.patch(f"/api/v1/personas/{persona.pk}/", {"description": "Our best."}, format="json")

    customer_change = entries_about(Customer.objects.get(pk=customer.pk))[-1]
    assert (customer_change.actor, customer_change.changes_dict["spending_score"]) == (
        staff_user,
        ["40", "70"],
    )
    assert entries_about(persona)[-1].actor == staff_user


def test_a_segment_edit_is_recorded(blob_customers, marketing_client, marketing_user):
    segment = run_now(k=4).segments.first()
    marketing_client.post(
        reverse("segmentation:segment-edit", args=[segment.pk]), {"name": "Regulars", "note": "x"}
    )
    edit = entries_about(segment)[-1]
    assert edit.actor == marketing_user and edit.changes_dict["name"][1] == "Regulars"


def test_the_run_page_shows_its_own_history(blob_customers, marketing_client):
    run = run_now(k=4)
    page = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()
    assert "History" in page and "status Running → Succeeded" in page and "the system" in page


def test_the_import_page_shows_its_own_history(staff_client, django_capture_on_commit_callbacks):
    file = io.BytesIO(b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n1,Male,30,40,50\n")
    file.name = "november.csv"
    with django_capture_on_commit_callbacks():
        response = staff_client.post(reverse("customers:import"), {"file": file})
    page = staff_client.get(response.url).content.decode()
    assert "History" in page and "Created" in page and "staff" in page


def test_the_trail_page_is_for_staff_and_filters_by_model_and_user(staff_client, marketing_user):
    CustomerFactory()
    staff_client.post(reverse("segmentation:runs"), {**START, "seed": 2})

    marketing = Client()
    marketing.force_login(marketing_user)
    assert marketing.get(reverse("audit:trail")).status_code == 403
    everything = staff_client.get(reverse("audit:trail")).content.decode()
    runs_only = staff_client.get(
        reverse("audit:trail"), {"model": "segmentation.segmentationrun"}
    ).content.decode()
    by_nobody = staff_client.get(reverse("audit:trail"), {"actor": "nobody"}).content.decode()
    assert "Customer:" in everything and "Segmentation run:" in everything
    assert "Customer:" not in runs_only and "Segmentation run:" in runs_only
    assert "Nothing recorded for this choice" in by_nobody


def test_the_trail_pages_back_through_older_entries(staff_client):
    for _ in range(60):
        CustomerFactory()
    first = staff_client.get(reverse("audit:trail")).context["page"]
    second = staff_client.get(reverse("audit:trail"), {"older_than": first.older_than}).context["page"]
    assert len(first.entries) == 50 and len(second.entries) == 10
    assert first.entries[-1].pk > second.entries[0].pk


def test_campaign_and_schedule_changes_are_recorded(staff_api, staff_user, marketing_client, marketing_user):
    campaign = Campaign.objects.first()
    staff_api.patch(f"/api/v1/campaigns/{campaign.pk}/", {"offer": "Two for one."}, format="json")
    marketing_client.post(reverse("segmentation:schedule-new"), SCHEDULE_FORM)

    assert entries_about(campaign)[-1].actor == staff_user
    assert entries_about(campaign)[-1].changes_dict["offer"][1] == "Two for one."
    created = entries_about(SegmentationSchedule.objects.get())[0]
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, marketing_user)
