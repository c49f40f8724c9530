import io

import pytest
from django.urls import reverse

from customers.models import Customer, CustomerImport, Purchase
from tests.factories import CustomerFactory, imports_run_queued

pytestmark = pytest.mark.django_db


def test_staff_see_the_customer_list_with_band_filters(staff_client):
    CustomerFactory(external_id="rich", annual_income=150)
    CustomerFactory(external_id="modest", annual_income=30)

    response = staff_client.get(
        reverse("admin:customers_customer_changelist"), {"annual_income_band": "100k-plus"}
    )

    assert response.status_code == 200
    assert [c.external_id for c in response.context["cl"].result_list] == ["rich"]


def test_admin_search_finds_a_customer_by_exact_id(staff_client):
    CustomerFactory(external_id="12")
    CustomerFactory(external_id="123")

    response = staff_client.get(reverse("admin:customers_customer_changelist"), {"q": "12"})

    assert [c.external_id for c in response.context["cl"].result_list] == ["12"]


def test_admin_change_form_enforces_ranges(staff_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])

    response = staff_client.post(
        url,
        {
            "external_id": customer.external_id,
            "gender": "female",
            "age": 300,
            "annual_income": 50,
            "spending_score": 50,
        },
    )

    assert response.status_code == 200
    assert "age" in response.context["adminform"].form.errors


def test_admin_imports_a_file(staff_client):
    file = io.BytesIO(b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n1,Female,30,40,50\n")
    file.name = "customers.csv"

    response = staff_client.post(reverse("admin:customers_customer_import"), {"file": file})

    job = CustomerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    imports_run_queued()
    assert Customer.objects.count() == 1


def test_admin_lists_imports_read_only(staff_client):
    job = CustomerImport.objects.create(file_name="march.csv", file_size=10)

    listing = staff_client.get(reverse("admin:customers_customerimport_changelist"))
    page = staff_client.get(reverse("admin:customers_customerimport_change", args=[job.pk]))

    assert b"march.csv" in listing.content and page.status_code == 200
    assert staff_client.get(reverse("admin:customers_customerimport_add")).status_code == 403


def test_admin_lists_and_finds_purchases(staff_client):
    purchase = Purchase.objects.create(
        customer=CustomerFactory(external_id="C1"), purchase_id="R-7", line=1,
        purchased_at="2025-03-04T10:00:00Z", amount="12.50",
    )  # fmt: skip

    found = staff_client.get(reverse("admin:customers_purchase_changelist"), {"q": "R-7"})
    page = staff_client.get(reverse("admin:customers_purchase_change", args=[purchase.pk]))

    assert b"R-7" in found.content and page.status_code == 200
