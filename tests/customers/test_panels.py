"""Panels other apps add to the customer page: the customer book renders them without knowing them."""

import pytest

from customers import panels
from customers.panels import CustomerPanel, customer_panel_register
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_customer_page_works_with_no_panel_registered(marketing_client, monkeypatch):
    monkeypatch.setattr(panels, "_panels", [])
    customer = CustomerFactory(external_id="C-42", age=33)

    response = marketing_client.get(customer.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200 and "Customer C-42" in content
    assert "segment-of-customer" not in content


def test_a_panel_registered_twice_renders_once(marketing_client, monkeypatch):
    monkeypatch.setattr(panels, "_panels", [])
    segment_panel = CustomerPanel(
        template_name="segmentation/_customer_segment_panel.html", context=lambda customer: {"advice": None}
    )
    customer_panel_register(segment_panel)
    customer_panel_register(segment_panel)

    content = marketing_client.get(CustomerFactory().get_absolute_url()).content.decode()

    assert content.count("No segmentation is active yet") == 1
