"""Measuring campaigns in a real browser: an analyst imports a file of campaign outcomes, then reads
on the playbook, campaign and persona pages what each campaign achieved and how it now ranks."""

import csv

import pytest
from django.utils import timezone

from customers.services import customers_seed_demo
from segmentation.models import CampaignOutcome
from segmentation.outcomes.demo import demo_outcomes_seed
from tests.browser.test_import_pages import run_the_queued_import
from tests.factories import run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def outcome_file(transactional_db, tmp_path):
    """A segmented book of 1,000 customers and a file of the demo's outcomes for it (not stored)."""
    customers_seed_demo(count=1_000, seed=4, purchases=False)
    run_now()
    demo_outcomes_seed(seed=4, today=timezone.localdate())
    path = tmp_path / "outcomes.csv"
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["CustomerID", "Campaign", "SentDate", "Responded", "Revenue", "Control"])
        for outcome in CampaignOutcome.objects.select_related("customer", "campaign"):
            writer.writerow([
                outcome.customer.external_id, outcome.campaign.title, outcome.sent_on.isoformat(),
                "yes" if outcome.responded else "no", outcome.revenue, "yes" if outcome.control else "no",
            ])  # fmt: skip
    CampaignOutcome.objects.all().delete()
    return path


def test_analyst_imports_outcomes_and_reads_what_each_campaign_achieved(
    logged_in, live_server, outcome_file, screenshot
):
    page = logged_in
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Campaign outcomes").check()
    page.get_by_label("File", exact=True).set_input_files(outcome_file)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/customers/imports/*/")
    run_the_queued_import(page)
    page.wait_for_selector("#job-outcome .report-summary")
    screenshot("imported")
    assert "added" in page.locator(".report-summary").inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Playbook").click()
    screenshot("playbook")
    assert page.get_by_role("heading", name="Campaigns and their results, all customers").is_visible()

    page.get_by_role("link", name="Flash sales").first.click()
    screenshot("campaign")
    results = page.locator("table").first.inner_text()
    assert "all customers" in results.lower() and "Impulse Buyers" in results and "pts" in results

    page.get_by_role("link", name="Impulse Buyers").first.click()
    screenshot("persona")
    assert "campaigns ranked for its" in page.locator("main").inner_text()
