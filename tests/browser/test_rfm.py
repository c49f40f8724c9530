"""The RFM grid in a real browser: 2,000 customers with behaviour, the 5 × 5 grid coloured by
segment, a cell's customers and the CSV export a click away."""

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from customers.models import Customer, CustomerBehaviour, Gender
from rfm.services import rfm_refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CUSTOMERS = 2_000


def _behaviour(customer: Customer, chance: random.Random, as_of) -> CustomerBehaviour:
    """Mall-like behaviour: most shoppers buy a few times a year, a few often; the often ones came
    more recently and spend more per visit."""
    frequency = min(int(chance.expovariate(1 / 4)) + 1, 60)
    recency_days = min(int(chance.expovariate(frequency / 240)), 365)
    basket = Decimal(str(round(chance.lognormvariate(3.9, 0.5), 2)))
    monetary = basket * frequency
    return CustomerBehaviour(
        customer=customer,
        recency_days=recency_days,
        frequency=frequency,
        monetary=monetary,
        avg_basket=basket,
        tenure_days=recency_days + int(chance.expovariate(1 / 300)),
        first_purchase_at=as_of - timedelta(days=400),
        last_purchase_at=as_of - timedelta(days=recency_days),
        as_of=as_of,
        window_days=365,
    )


@pytest.fixture
def shoppers(transactional_db):
    chance = random.Random(11)
    customers = Customer.objects.bulk_create(
        Customer(
            external_id=f"M{number:05d}",
            gender=chance.choice([Gender.FEMALE, Gender.MALE]),
            age=chance.randint(18, 70),
            annual_income=chance.randint(15, 140),
            spending_score=chance.randint(1, 100),
        )
        for number in range(1, CUSTOMERS + 1)
    )
    as_of = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    CustomerBehaviour.objects.bulk_create(_behaviour(customer, chance, as_of) for customer in customers)
    rfm_refresh()


def test_analyst_reads_the_grid_and_opens_a_cell(logged_in, live_server, shoppers, screenshot):
    page = logged_in
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="RFM").click()
    page.wait_for_selector("table.rfm-grid")
    screenshot("grid")

    cells = page.locator("table.rfm-grid tbody td a.rfm-cell")
    assert cells.count() == 25
    counts = [int(text.replace(",", "")) for text in page.locator(".rfm-cell-count").all_inner_texts()]
    assert sum(counts) == CUSTOMERS
    assert page.locator("table.rfm-grid tbody th").all_inner_texts() == ["R 5", "R 4", "R 3", "R 2", "R 1"]
    first_cell = cells.first
    assert first_cell.locator(".rfm-cell-segment").inner_text() == "New Customers"  # R 5 · F 1
    assert errors == []  # nothing refused by the CSP, no script error

    champions = cells.nth(3)  # R 5 · F 4
    expected = int(champions.locator(".rfm-cell-count").inner_text().replace(",", ""))
    champions.click()
    page.wait_for_selector("table.rfm-members")
    screenshot("cell")

    assert page.locator("h1").inner_text() == "Recency 5 · frequency 4"
    assert page.locator("table.rfm-members tbody tr").count() == min(expected, 50)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export customers (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == expected + 1


def test_analyst_opens_a_segment_from_the_legend(logged_in, live_server, shoppers, screenshot):
    page = logged_in
    page.goto(f"{live_server.url}/rfm/")
    page.locator(".rfm-legend").get_by_role("link", name="At Risk").click()
    page.wait_for_selector("table.rfm-members")
    screenshot("segment")

    assert page.locator("h1").inner_text() == "At Risk"
    assert page.locator("table.rfm-members tbody tr").count() == 50
    page.get_by_role("navigation", name="Customer pages").get_by_role("link", name="Next →").click()
    page.wait_for_selector("table.rfm-members")
    assert page.locator("table.rfm-members tbody tr").count() >= 1

    page.locator("table.rfm-members tbody tr").first.get_by_role("link").click()
    panel = page.locator("section.rfm-of-customer")
    panel.wait_for()
    panel.scroll_into_view_if_needed()
    screenshot("customer")

    assert panel.locator(".result-name").inner_text() == "At Risk"
    assert panel.locator(".rfm-score").count() == 3
