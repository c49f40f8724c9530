"""Campaign outcomes over the API: imported as any file (kind ``outcomes``), listed and filtered,
and a campaign's measured results by segment; a campaign with outcomes cannot be deleted."""

import io

import pytest

from segmentation.models import Campaign, CampaignOutcome
from tests.factories import imports_run_queued
from tests.segmentation.outcomes.conftest import members, sends

pytestmark = pytest.mark.django_db


def imported(api, text: str) -> tuple[int, dict]:
    """Upload ``text`` as an outcome file, let a worker import it; the answer's status and the import."""
    file = io.BytesIO(text.encode())
    file.name = "outcomes.csv"
    response = api.post("/api/v1/imports/", {"file": file, "kind": "outcomes"}, format="multipart")
    imports_run_queued()
    return response.status_code, api.get(response["Location"]).json()


def test_an_outcome_file_is_imported_through_the_imports_endpoint(marketing_api, two_customers, flash_sales):
    status, done = imported(
        marketing_api, "CustomerID,Campaign,SentDate,Responded\nC1,Flash sales,2025-03-04,yes\n"
    )

    assert status == 202 and done["kind"] == "outcomes"
    assert (done["status"], done["report"]["added"]) == ("succeeded", 1)
    assert CampaignOutcome.objects.get().campaign == flash_sales


def test_a_refused_outcome_file_fails_naming_row_column_and_value(marketing_api, two_customers, flash_sales):
    _, done = imported(
        marketing_api, "CustomerID,Campaign,SentDate,Responded\nC1,Free lunch,2025-03-04,yes\n"
    )

    assert done["status"] == "failed" and not CampaignOutcome.objects.exists()
    assert [(issue["row"], issue["column"], issue["value"]) for issue in done["report"]["issues"]] == [
        (2, "Campaign", "Free lunch")
    ]


def test_outcomes_are_listed_and_filtered(marketing_api, two_customers, flash_sales):
    first, second = two_customers
    sends([first], flash_sales, responded=1)
    sends([second], flash_sales, responded=0, control=True)

    everything = marketing_api.get("/api/v1/campaign-outcomes/").json()["results"]
    held_back = marketing_api.get("/api/v1/campaign-outcomes/?control=true").json()["results"]
    refused = marketing_api.get("/api/v1/campaign-outcomes/?control=maybe")

    assert len(everything) == 2
    assert [(row["customer"], row["control"], row["responded"]) for row in held_back] == [
        (second.pk, True, False)
    ]
    assert refused.status_code == 400


def test_a_campaigns_results_come_by_segment_of_the_active_run(marketing_api, premium):
    customers = members(premium)
    vip = Campaign.objects.get(title="VIP membership")
    sends(customers[:10], vip, responded=9, revenue="20")
    sends(customers[10:], vip, responded=0, control=True)

    body = marketing_api.get(f"/api/v1/campaigns/{vip.pk}/results/").json()

    assert (body["campaign"], body["run"], body["min_sends"]) == (vip.pk, premium.run_id, 5)
    assert body["total"]["sent"] == {
        "sends": 10, "responses": 9, "response_rate": 0.9, "revenue": 180.0, "revenue_per_send": 18.0
    }  # fmt: skip
    premium_row = next(row for row in body["segments"] if row["segment"] == premium.pk)
    assert premium_row["segment_name"] == premium.name
    assert premium_row["result"]["lift"]["difference"] == pytest.approx(0.9)
    assert premium_row["result"]["lift"]["enough"] and premium_row["result"]["lift"]["significant"]
    assert sum(row["result"] is None for row in body["segments"]) == 3


def test_results_need_the_outcome_permission(api_without_outcomes, flash_sales):
    assert api_without_outcomes.get(f"/api/v1/campaigns/{flash_sales.pk}/results/").status_code == 403
    assert api_without_outcomes.get("/api/v1/campaign-outcomes/").status_code == 403


def test_a_campaign_with_outcomes_is_not_deleted(staff_api, two_customers, flash_sales):
    sends(two_customers, flash_sales, responded=1)

    response = staff_api.delete(f"/api/v1/campaigns/{flash_sales.pk}/")

    assert response.status_code == 409 and "2 recorded outcome(s)" in response.json()["errors"][0]["detail"]
    assert Campaign.objects.filter(pk=flash_sales.pk).exists() and CampaignOutcome.objects.count() == 2


@pytest.mark.parametrize("query", ["sent_until=", "sent_from=yesterday", "campaign=", "campaign=1.5"])
def test_outcome_filters_refuse_what_the_schema_refuses(marketing_api, query):
    assert marketing_api.get(f"/api/v1/campaign-outcomes/?{query}").status_code == 400
