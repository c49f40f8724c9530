"""Following customers between runs in a real browser: from a re-run to who moved, the customers
behind one move, and one customer's segment over time."""

import pytest

from customers.models import Customer
from customers.services import customers_seed_demo
from segmentation.services.runs import segmentation_run_activate
from tests.browser.conftest import painted_pixels
from tests.factories import run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def rerun_after_changes(transactional_db):
    """1,000 demo customers segmented, then 25 careful high earners start spending, then a re-run."""
    customers_seed_demo(count=1_000, seed=1)
    run_now(k=5)
    careful = Customer.objects.filter(annual_income__gte=75, spending_score__lte=25).order_by("pk")[:25]
    Customer.objects.filter(pk__in=[customer.pk for customer in careful]).update(spending_score=85)
    return run_now(k=5)


def test_analyst_follows_the_customers_who_moved(logged_in, live_server, rerun_after_changes, screenshot):
    rerun = rerun_after_changes
    page = logged_in
    page.goto(f"{live_server.url}/runs/{rerun.pk}/")
    page.get_by_role("link", name="Who moved between them").click()
    page.wait_for_url(f"{live_server.url}/runs/{rerun.pk}/moves/")
    screenshot("moves")

    assert page.get_by_role("heading", name="Which segment became which").is_visible()
    assert page.locator("table.heat-table tbody tr").count() == 5
    moved = page.locator("td.heat-move a").first
    assert moved.is_visible()
    moved.click()
    page.wait_for_url(f"{live_server.url}/moves/**")
    screenshot("moved-customers")
    assert page.get_by_role("link", name="Export audience (CSV)").is_visible()

    page.locator("table.table tbody a").first.click()
    page.wait_for_url(f"{live_server.url}/customers/**")
    screenshot("customer-history")
    history = page.locator("section[aria-labelledby=history-title]")
    assert history.get_by_role("heading", name="Segment over time").is_visible()
    assert history.locator("tbody tr").count() == 2
    assert history.get_by_text("Moved").is_visible()


def test_analyst_sees_the_segments_over_time(logged_in, live_server, rerun_after_changes, screenshot):
    segmentation_run_activate(run=rerun_after_changes)
    page = logged_in
    page.goto(f"{live_server.url}/runs/")
    page.get_by_role("link", name="Segments over time").click()
    page.wait_for_url(f"{live_server.url}/runs/evolution/")
    page.wait_for_function("document.getElementById('evolution-chart').width > 0")
    screenshot("evolution")

    assert painted_pixels(page, "#evolution-chart") > 1_000
    assert page.locator("section[aria-labelledby=quality-title] tbody tr").count() == 2
