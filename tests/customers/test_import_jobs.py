"""Starting and cancelling customer imports (customers.import_jobs): the stored upload, the
queue (published after commit, or the import failed at once when the queue is unreachable),
the per-user limit, and who may cancel."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError as BrokerError

from core.exceptions import Conflict, ServiceUnavailable
from customers.import_jobs import customer_import_cancel, customer_import_start
from customers.models import CustomerImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = CustomerImport.Status
CSV = b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n1,Female,30,40,50\n"


def upload(name: str = "march.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, CSV, content_type="text/csv")


def test_starting_an_import_stores_the_upload_and_queues_it_after_commit(
    marketing_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch("customers.tasks.execute_customer_import.delay") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = customer_import_start(started_by=marketing_user, upload=upload(), skip_invalid=True)
        assert not publish.called  # not before the row is committed

    publish.assert_called_once_with(job.pk)
    assert (job.status, job.step, job.file_name, job.file_size) == (
        Status.QUEUED, "Waiting for a worker", "march.csv", len(CSV),
    )  # fmt: skip
    assert job.skip_invalid and job.upload.read() == CSV


def test_the_stored_upload_gets_a_random_name_whatever_the_user_called_the_file(marketing_user):
    job = customer_import_start(started_by=marketing_user, upload=upload("../../etc/passwd"))

    assert job.file_name == "passwd"
    assert job.upload.name.endswith(".upload") and "passwd" not in job.upload.name


def test_an_import_whose_task_cannot_be_published_is_failed_and_its_upload_deleted(
    marketing_user, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "customers.tasks.execute_customer_import.delay",
            side_effect=BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        ),
        pytest.raises(ServiceUnavailable, match="The job queue cannot be reached"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        customer_import_start(started_by=marketing_user, upload=upload())

    job = CustomerImport.objects.get()
    assert (job.status, job.step) == (Status.FAILED, "Failed")
    assert job.error.startswith("The job queue cannot be reached, so the import could not be started")
    assert not job.upload


def test_a_user_with_the_most_imports_in_progress_cannot_start_another(settings, marketing_user):
    settings.IMPORTS_IN_PROGRESS_PER_USER = 2
    for _ in range(2):
        customer_import_start(started_by=marketing_user, upload=upload())

    with pytest.raises(Conflict, match="You already have 2 imports queued or running"):
        customer_import_start(started_by=marketing_user, upload=upload())
    assert CustomerImport.objects.count() == 2


def test_finished_imports_and_other_users_imports_do_not_count_against_the_limit(settings, marketing_user):
    settings.IMPORTS_IN_PROGRESS_PER_USER = 1
    CustomerImport.objects.create(
        started_by=marketing_user, file_name="old.csv", file_size=1, status=Status.FAILED
    )
    customer_import_start(started_by=UserFactory(), upload=upload())

    assert customer_import_start(started_by=marketing_user, upload=upload()).status == Status.QUEUED


def test_cancelling_a_queued_import_deletes_its_upload(marketing_user):
    job = customer_import_start(started_by=marketing_user, upload=upload())
    stored = job.upload.name

    cancelled = customer_import_cancel(job=job, user=marketing_user)

    assert cancelled.status == Status.CANCELLED and cancelled.step == "Cancelled by marketing"
    assert not cancelled.upload and not CustomerImport.upload.field.storage.exists(stored)


def test_another_analyst_cannot_cancel_an_import_but_staff_can(marketing_user, staff_user):
    job = customer_import_start(started_by=marketing_user, upload=upload())

    with pytest.raises(PermissionDenied, match="Only the user who started this import"):
        customer_import_cancel(job=job, user=UserFactory())
    assert customer_import_cancel(job=job, user=staff_user).status == Status.CANCELLED


def test_an_import_from_the_command_line_may_be_cancelled_by_anyone_who_may_import(marketing_user):
    job = CustomerImport.objects.create(file_name="cli.csv", file_size=1)

    assert customer_import_cancel(job=job, user=marketing_user).status == Status.CANCELLED


def test_a_finished_import_cannot_be_cancelled(marketing_user):
    job = CustomerImport.objects.create(
        started_by=marketing_user, file_name="a.csv", file_size=1, status=Status.SUCCEEDED
    )

    with pytest.raises(Conflict, match="This import has already succeeded"):
        customer_import_cancel(job=job, user=marketing_user)
