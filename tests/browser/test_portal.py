"""The portal as an analyst uses it, in a real browser."""

import csv
import io

import pytest

from customers.services import customers_seed_demo
from segmentation.models import SegmentationRun
from tests.browser.conftest import painted_pixels
from tests.factories import run_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def segmented(transactional_db):
    customers_seed_demo(count=1_000, seed=5)
    return run_now()


def test_anonymous_visitor_is_sent_to_login(page, live_server, screenshot):
    page.goto(f"{live_server.url}/segments/")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="Log in to mallseg").is_visible()
    screenshot("login")


def test_wrong_passwords_lock_the_login_and_say_why(page, live_server, analyst, settings, screenshot):
    settings.AXES_FAILURE_LIMIT = 2
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill(analyst.username)
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Log in").click()
    screenshot("locked")

    assert page.get_by_role("heading", name="Too many failed logins").is_visible()
    assert "paused for 15 minutes" in page.get_by_role("alert").inner_text()


def test_analyst_starts_a_run_and_watches_it_finish_without_reloading(
    logged_in, live_server, celery_worker, screenshot
):
    customers_seed_demo(count=2_000, seed=9)
    page = logged_in
    page.goto(f"{live_server.url}/runs/")
    page.get_by_label("Age", exact=True).check()
    page.get_by_role("button", name="Start run").click()

    page.wait_for_selector('[role="progressbar"]')
    page.evaluate("window.stillTheSamePage = true")
    screenshot("progress")
    page.wait_for_selector("#job-outcome [data-charts] canvas", timeout=90_000)
    page.wait_for_timeout(300)
    screenshot("results")

    assert page.evaluate("window.stillTheSamePage") is True
    assert page.get_by_role("progressbar").count() == 0
    assert page.get_by_role("button", name="Cancel run").count() == 0
    assert SegmentationRun.objects.get().status == SegmentationRun.Status.SUCCEEDED
    assert painted_pixels(page, '[data-chart="scatter"]') > 1_000
    assert painted_pixels(page, '[data-chart="elbow"]') > 500


def test_dashboard_draws_the_scatter_and_the_elbow(logged_in, live_server, segmented, screenshot):
    page = logged_in
    page.goto(f"{live_server.url}/")
    page.wait_for_timeout(300)
    screenshot("dashboard")

    assert page.locator(".segment-card").count() == segmented.k
    assert painted_pixels(page, '[data-chart="scatter"]') > 1_000
    assert painted_pixels(page, '[data-chart="elbow"]') > 500
    assert painted_pixels(page, '[data-chart="silhouette"]') > 500
    assert (
        "A seeded sample" in page.locator("[data-chart-note]").inner_text()
        or "All 1,000" in page.locator("[data-chart-note]").inner_text()
    )


def test_analyst_opens_a_segment_and_exports_its_audience(logged_in, live_server, segmented, screenshot):
    segment = segmented.segments.get(number=0)
    page = logged_in
    page.get_by_role("link", name="Segments", exact=True).click()
    page.get_by_role("link", name=segment.name).click()
    screenshot("segment")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export audience (CSV)").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text())))

    assert rows[0][0] == "customer_id"
    assert len(rows) == segment.size + 1
    assert {row[5] for row in rows[1:]} == {segment.name}


def test_analyst_opens_a_customer_and_reads_the_recommendation(logged_in, live_server, segmented, screenshot):
    customer = segmented.assignments.filter(segment__persona__isnull=False).first().customer
    page = logged_in
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    screenshot("customer")

    reason = page.locator(".reason").first.inner_text()
    assert "of customers" in reason and "one of the" in reason and "Offer" in reason


def test_analyst_predicts_a_segment_and_bad_input_is_shown_at_the_field(
    logged_in, live_server, segmented, screenshot
):
    page = logged_in
    page.get_by_role("link", name="Predict").click()
    page.get_by_label("Annual income (k$)").fill("90")
    page.get_by_label("Spending score (1–100)").fill("15")
    page.get_by_role("button", name="Find the segment").click()
    page.wait_for_timeout(300)
    screenshot("good")
    assert "Cautious Spenders" in page.locator(".result-card").inner_text()
    assert "one of the Cautious Spenders. Offer" in page.locator(".result-card .reason").first.inner_text()
    assert painted_pixels(page, '[data-chart="scatter"]') > 1_000

    page.get_by_label("Spending score (1–100)").fill("150")
    page.get_by_role("button", name="Find the segment").click()
    screenshot("bad")
    assert page.locator(".field-error").inner_text() == "Ensure this value is less than or equal to 100."
    assert page.locator(".result-card").count() == 0
