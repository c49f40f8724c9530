"""Comparing runs in a real browser: choose two runs, read the recommendation and who went where,
and activate the recommended run from the comparison."""

import pytest

from customers.services import customers_seed_demo
from segmentation.models import SegmentationRun
from tests.factories import run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def two_runs(transactional_db):
    customers_seed_demo(count=1_000, seed=1)
    return run_now(k=5), run_now(k=3)


def test_analyst_compares_two_runs_and_activates_the_recommended_one(
    logged_in, live_server, two_runs, screenshot
):
    five, three = two_runs
    page = logged_in
    page.goto(f"{live_server.url}/runs/")
    page.get_by_role("link", name="Compare runs").click()
    page.get_by_label(f"Run {five.pk} ·").check()
    page.get_by_label(f"Run {three.pk} ·").check()
    page.get_by_role("button", name="Compare").click()
    screenshot("comparison")

    recommendation = page.locator(".compare-recommendation").inner_text()
    assert "Activate run" in recommendation
    assert page.get_by_role("heading", name=f"Run {five.pk} and run {three.pk}: who went where").is_visible()
    assert page.locator("table.contingency tbody tr").count() == 5
    assert page.locator("table.contingency thead th").count() == 1 + 3

    recommended = five if f"Activate run {five.pk}" in recommendation else three
    if not recommended.is_active:
        page.get_by_role("button", name=f"Make run {recommended.pk} active").click()
        page.wait_for_url(f"{live_server.url}/runs/{recommended.pk}/")
    assert SegmentationRun.objects.get(pk=recommended.pk).is_active
