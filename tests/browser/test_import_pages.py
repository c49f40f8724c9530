"""Importing customers in a real browser: the upload is queued, the import's page shows its
progress and, once a worker has run it, swaps in the report without reloading."""

import re

import pytest

from customers.models import Customer, CustomerImport
from tests.factories import imports_run_queued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"
IMPORT_PAGE = re.compile(r"/customers/imports/\d+/$")


def upload(page, live_server, path):
    """Choose ``path`` on the Import page and submit it; returns once on the import's page."""
    page.goto(f"{live_server.url}/customers/import/")
    page.get_by_label("File", exact=True).set_input_files(path)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(IMPORT_PAGE)


def run_the_queued_import(page):
    """Do a worker's job while the page keeps polling, and mark the page to prove it never reloads."""
    page.evaluate("window.stillTheSamePage = true")
    # The tests' ORM calls run in this thread, as the fixtures' do (DJANGO_ALLOW_ASYNC_UNSAFE,
    # committed data: the live server's threads and this one share the test database).
    (job,) = imports_run_queued()
    return job


def test_analyst_uploads_a_file_and_the_page_swaps_in_the_report_without_reloading(
    logged_in, live_server, tmp_path, screenshot
):
    good = tmp_path / "customers.csv"
    good.write_text(HEADER + "1,Female,30,40,50\n2,Male,45,90,12\n")
    page = logged_in
    page.get_by_role("link", name="Import", exact=True).click()
    upload(page, live_server, good)

    assert page.get_by_role("heading", name="Import 1 · customers.csv").is_visible()
    assert page.get_by_role("progressbar").is_visible()
    assert "Waiting for a worker" in page.locator(".progress-step").inner_text()
    assert page.get_by_role("button", name="Cancel import").is_visible()
    screenshot("queued")

    job = run_the_queued_import(page)
    page.wait_for_selector("#job-outcome .report-summary")
    screenshot("succeeded")

    assert job.status == CustomerImport.Status.SUCCEEDED
    assert page.evaluate("window.stillTheSamePage") is True
    assert "2 added" in page.locator(".report-summary").inner_text()
    assert page.get_by_role("progressbar").count() == 0
    assert page.get_by_role("button", name="Cancel import").count() == 0
    assert page.get_by_role("link", name="See the customers").is_visible()
    assert Customer.objects.count() == 2

    page.get_by_role("link", name="Import another file").click()
    row = page.locator("table tbody tr", has_text="customers.csv")
    assert "Succeeded" in row.inner_text() and "2 added" in row.inner_text()


def test_a_refused_file_shows_its_problems(logged_in, live_server, tmp_path, screenshot):
    bad = tmp_path / "broken.csv"
    bad.write_text(HEADER + "1,Robot,30,40,50\n2,Male,200,90,12\n")
    page = logged_in
    upload(page, live_server, bad)
    assert "Waiting for a worker" in page.locator(".progress-step").inner_text()

    job = run_the_queued_import(page)
    page.wait_for_selector("#job-outcome table.issues")
    screenshot("refused")

    assert job.status == CustomerImport.Status.FAILED
    assert page.get_by_role("heading", name="File refused").is_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert "nothing imported" in page.locator(".report-summary").inner_text()
    issues = page.locator(".issues tbody tr")
    assert issues.count() == 2
    assert "unknown gender" in issues.first.inner_text()
    assert page.get_by_role("progressbar").count() == 0
    assert Customer.objects.count() == 0

    page.reload()
    assert "nothing imported" in page.locator(".report-summary").inner_text()
    assert page.locator(".issues tbody tr").count() == 2

    page.get_by_role("link", name="Import a file").click()
    row = page.locator("table tbody tr", has_text="broken.csv")
    assert "Failed" in row.inner_text() and "Refused: 2 problem(s)" in row.inner_text()
