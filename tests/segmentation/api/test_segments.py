"""Segments over the API (segmentation.api.segments): list, detail, members and CSV export."""

import csv
import io

import pytest

from segmentation.services.placement import segmentation_place_new_customers
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


def test_segments_of_the_active_run_by_default_or_of_a_named_run(marketing_api, blob_customers):
    active = run_now(k=4)
    other = run_now(k=2)

    default = marketing_api.get("/api/v1/segments/").json()
    named = marketing_api.get("/api/v1/segments/", {"run": other.pk}).json()

    assert {segment["run"] for segment in default} == {active.pk} and len(default) == 4
    assert len(named) == 2
    assert marketing_api.get("/api/v1/segments/", {"run": "x"}).status_code == 400
    assert marketing_api.get("/api/v1/segments/", {"run": ""}).status_code == 400
    assert marketing_api.get("/api/v1/segments/", {"run": 2**70}).status_code == 400


def test_segment_detail_members_and_unknown_segment(marketing_api, mall_customers):
    run = run_now()
    segment = run.segments.get(persona__name="Cautious Spenders")

    detail = marketing_api.get(f"/api/v1/segments/{segment.pk}/").json()
    members = marketing_api.get(f"/api/v1/segments/{segment.pk}/members/", {"page_size": 20}).json()
    rest = marketing_api.get(members["next"]).json()

    assert detail["persona"]["campaigns"][0]["title"] == "Loyalty programme"
    assert detail["levels"] == {"annual_income": "high", "spending_score": "low"}
    assert len(members["results"]) == 20 and len(rest["results"]) == segment.size - 20
    assert marketing_api.get("/api/v1/segments/999999/").status_code == 404


def test_segment_export_is_formula_safe_csv(marketing_api, blob_customers):
    run = run_now(k=4)
    CustomerFactory(external_id="@SUM(A1)")
    segmentation_place_new_customers()
    segment = run.assignments.get(customer__external_id="@SUM(A1)").segment

    response = marketing_api.get(f"/api/v1/segments/{segment.pk}/export/")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response.status_code == 200 and len(rows) == segment.assignments.count() + 1
    assert [row[0] for row in rows if "SUM" in row[0]] == ["'@SUM(A1)"]
