"""A request body larger than the largest accepted upload is refused at once (core.middleware):
413 with the limit named, on the page, the API and the admin; nothing is read or written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from customers.models import Customer
from tests.factories import imports_run_queued

pytestmark = pytest.mark.django_db
ROWS = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n" + "".join(
    f"{n},Female,30,40,50\n" for n in range(20_000)
)  # about 400 KB


@pytest.fixture
def limit_of_100_kb(settings):
    settings.IMPORT_MAX_FILE_MB = 0.1


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.csv", ROWS.encode(), content_type="text/csv")


def test_the_import_page_refuses_a_body_over_the_limit_before_reading_it(marketing_client, limit_of_100_kb):
    response = marketing_client.post(reverse("customers:import"), {"file": upload()})

    assert response.status_code == 413
    assert "the largest file accepted is 0.1 MB" in response.content.decode()
    assert not Customer.objects.exists()


def test_the_api_refuses_a_body_over_the_limit_in_its_error_shape(marketing_api, limit_of_100_kb):
    response = marketing_api.post("/api/v1/imports/", {"file": io.BytesIO(ROWS.encode())}, format="multipart")

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
    assert not Customer.objects.exists()


def test_the_admin_import_refuses_a_body_over_the_limit(staff_client, limit_of_100_kb):
    response = staff_client.post(reverse("admin:customers_customer_import"), {"file": upload()})

    assert response.status_code == 413 and not Customer.objects.exists()


def test_a_body_within_the_limit_goes_through(marketing_client, settings):
    settings.IMPORT_MAX_FILE_MB = 1

    response = marketing_client.post(reverse("customers:import"), {"file": upload()})

    assert response.status_code == 302
    imports_run_queued()
    assert Customer.objects.count() == 20_000
