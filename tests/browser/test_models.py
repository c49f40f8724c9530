"""Training the lapse-risk and spend models in a real browser, with a real worker: watch the
training finish on its page, read the evaluation on the Models page, then a customer's risk."""

import pandas as pd
import pytest
from django.utils import timezone

from customers.services import customers_seed_demo
from predictions.models import Forecast
from tests.factories import run_now
from tests.predictions.histories import history_store, planted_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def planted(transactional_db):
    return history_store(planted_history(as_of=pd.Timestamp(timezone.now()), steady=150, thinning=150))


def test_analyst_trains_the_models_and_reads_how_they_did(
    logged_in, live_server, celery_worker, planted, screenshot
):
    page = logged_in
    page.get_by_role("link", name="Models").click()
    page.get_by_role("button", name="Train now").click()

    page.wait_for_selector('[role="progressbar"]')
    page.evaluate("window.stillTheSamePage = true")
    page.wait_for_selector("#job-outcome .calibration svg", timeout=90_000)
    screenshot("forecast")
    assert page.evaluate("window.stillTheSamePage") is True
    forecast = Forecast.objects.get()
    assert forecast.published, forecast.reason
    assert "Published" in page.locator("#job-outcome").inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Models").click()
    screenshot("models")
    assert f"In use: forecast {forecast.pk}" in page.locator("main").inner_text()
    assert page.locator(".calibration circle").count() == len(forecast.calibration)
    assert page.get_by_role("row").filter(has_text=f"Forecast {forecast.pk}").is_visible()

    thinning = planted[299]
    page.goto(f"{live_server.url}/customers/{thinning.pk}/")
    screenshot("customer")
    panel = page.locator("section", has=page.get_by_role("heading", name="Lapse risk and spend"))
    assert "Lapse risk" in panel.inner_text() and "Expected spend" in panel.inner_text()

    page.goto(f"{live_server.url}/predictions/audience/")
    page.get_by_label("Lapse risk from (%)").fill("60")
    page.get_by_role("button", name="Show").click()
    screenshot("audience")
    assert page.get_by_role("link", name="Export audience (CSV)").is_visible()
    assert "customers" in page.locator(".table-title").inner_text()


def test_analyst_guesses_a_new_members_segment_without_spending_data(logged_in, live_server, screenshot):
    customers_seed_demo(count=1_000, seed=4)
    run = run_now()
    page = logged_in
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Predict").click()
    page.get_by_role("link", name="No spending data yet").click()
    page.get_by_label("Age").fill("31")
    page.get_by_label("Gender").select_option("female")
    page.get_by_label("Annual income (k$)").fill("95")
    page.get_by_role("button", name="Find the likely segment").click()
    screenshot("newcomer")

    result = page.locator(".result-card").inner_text()
    assert "This new member will most likely join" in result
    assert any(segment.name in result for segment in run.segments.all())
    assert "members it never saw" in result
