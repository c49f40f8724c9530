"""What segmentation adds to the customer API (segmentation.api.customers): the ``?segment=``
filter and ``customers/{id}/segment/``."""

import pytest

from customers.models import Customer
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def test_customers_filter_by_segment_of_the_active_run(marketing_api, blob_customers):
    run = run_now()
    segment = run.segments.first()

    rows = marketing_api.get(URL, {"segment": segment.pk, "page_size": 500}).json()["results"]

    assert len(rows) == segment.size


def test_customer_segment_gives_persona_and_reasons(marketing_api, mall_customers):
    run_now()
    customer = Customer.objects.get(external_id="200")

    body = marketing_api.get(f"{URL}{customer.pk}/segment/").json()

    assert body["segment"]["persona"]["name"] == "Premium Shoppers"
    assert body["placed"] is False
    assert body["recommendations"][0]["campaign"]["title"] == "Exclusive offers"
    assert body["recommendations"][0]["reason"].startswith("Income 137k$ is in the top 5% of customers")


def test_customer_segment_without_an_active_run_is_a_409(marketing_api):
    customer = CustomerFactory()

    response = marketing_api.get(f"{URL}{customer.pk}/segment/")

    assert response.status_code == 409
    assert "No segmentation is active" in response.json()["errors"][0]["detail"]
