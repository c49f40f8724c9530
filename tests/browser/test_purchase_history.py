"""A customer's purchase history in a real browser: the monthly chart is drawn (Chart.js from our
own static files, under the CSP) and the purchases page forward."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from customers.models import Purchase
from customers.purchase_history import PURCHASES_PER_PAGE
from tests.browser.conftest import painted_pixels
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIRST_DAY = datetime(2024, 1, 5, 15, 30, tzinfo=UTC)


@pytest.fixture
def shopper(transactional_db):
    """A customer with 30 purchases over 14 months, every fifth a refund, two lines each."""
    customer = CustomerFactory(external_id="C-42")
    Purchase.objects.bulk_create(
        Purchase(
            customer=customer,
            purchase_id=f"INV-{number:03d}",
            line=line,
            purchased_at=FIRST_DAY + timedelta(days=number * 14),
            amount=Decimal(-25 if number % 5 == 4 else 40 + number) / line,
            store="North Wing",
        )
        for number in range(30)
        for line in (1, 2)
    )
    return customer


def test_analyst_sees_the_monthly_chart_and_pages_through_purchases(
    logged_in, live_server, shopper, screenshot
):
    page = logged_in
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}{shopper.get_absolute_url()}")
    page.wait_for_selector("[data-purchase-chart][data-drawn] canvas")
    page.wait_for_timeout(300)
    screenshot("first-page")

    assert painted_pixels(page, "[data-purchase-chart] canvas") > 1_000
    assert page.locator("table.purchases tbody tr").count() == PURCHASES_PER_PAGE
    assert page.locator("table.purchases tbody tr").first.locator("td").first.inner_text() == "INV-029"
    assert errors == []  # nothing refused by the CSP, no script error

    page.get_by_role("navigation", name="Purchase pages").get_by_role("link", name="Next →").click()
    page.wait_for_selector("[data-purchase-chart][data-drawn] canvas")
    screenshot("second-page")

    assert page.locator("table.purchases tbody tr").count() == 30 - PURCHASES_PER_PAGE
    assert page.locator("table.purchases tbody tr").last.locator("td").first.inner_text() == "INV-000"


def test_a_customer_without_purchases_says_so_and_loads_no_chart(logged_in, live_server, screenshot):
    customer = CustomerFactory(external_id="C-43")
    page = logged_in
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    screenshot("empty")

    assert page.locator(".purchase-history").get_by_text("No purchase history").is_visible()
    assert page.locator("[data-purchase-chart]").count() == 0
