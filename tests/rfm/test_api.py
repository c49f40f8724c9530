"""The RFM API: segments with rules and totals, members (cursor pages), export (CSV), who may call
them, and their place in the OpenAPI schema."""

import pytest

from rfm.models import RfmSegment
from tests.factories import UserFactory, token_client

pytestmark = pytest.mark.django_db


def segment_id(name: str) -> int:
    return RfmSegment.objects.get(name=name).pk


def paths(segment: int) -> list[str]:
    return [
        "/api/v1/rfm-segments/",
        f"/api/v1/rfm-segments/{segment}/",
        f"/api/v1/rfm-segments/{segment}/members/",
        f"/api/v1/rfm-segments/{segment}/export/",
    ]


def test_segments_list_their_rule_customers_and_revenue(marketing_api, ten_customers):
    response = marketing_api.get("/api/v1/rfm-segments/")

    assert response.status_code == 200
    segments = {segment["name"]: segment for segment in response.json()}
    assert len(segments) == 11
    assert segments["At Risk"]["rule"] == {
        "recency": {"min": 1, "max": 2},
        "frequency": {"min": 2, "max": 5},
        "monetary": {"min": 1, "max": 5},
    }
    assert (segments["At Risk"]["customers"], segments["At Risk"]["revenue"]) == (2, "640.00")
    assert (segments["Promising"]["customers"], segments["Promising"]["revenue"]) == (0, "0.00")
    assert [segment["name"] for segment in response.json()][:2] == ["Champions", "Can't Lose Them"]


def test_a_segment_is_retrieved_with_its_totals(marketing_api, ten_customers):
    response = marketing_api.get(f"/api/v1/rfm-segments/{segment_id('Champions')}/")

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["customers"], response.json()["revenue"]) == (
        "Champions",
        1,
        "900.00",
    )


def test_members_are_cursor_paginated_with_their_scores(marketing_api, ten_customers):
    url = f"/api/v1/rfm-segments/{segment_id('At Risk')}/members/"

    first = marketing_api.get(url, {"page_size": 1}).json()
    second = marketing_api.get(first["next"]).json()

    assert first["results"] == [
        {
            "id": ten_customers["c3"].pk,
            "external_id": "c3",
            "recency_score": 2,
            "frequency_score": 5,
            "monetary_score": 5,
            "recency_days": 200,
            "frequency": 8,
            "monetary": "500.00",
        }
    ]
    assert [member["external_id"] for member in second["results"]] == ["c8"]
    assert second["next"] is None


def test_a_malformed_page_size_is_a_400(marketing_api, ten_customers):
    url = f"/api/v1/rfm-segments/{segment_id('At Risk')}/members/"

    assert marketing_api.get(url, {"page_size": "x"}).status_code == 400


def test_export_is_csv(marketing_api, ten_customers):
    response = marketing_api.get(f"/api/v1/rfm-segments/{segment_id('At Risk')}/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("customer_id,segment,recency_score")
    assert [line.split(",")[0] for line in lines[1:]] == ["c3", "c8"]


def test_anonymous_clients_get_401(anonymous_api):
    for path in paths(segment_id("Lost")):
        response = anonymous_api.get(path)

        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "not_authenticated"


def test_users_without_a_role_get_403(db):
    api = token_client(UserFactory())

    for path in paths(segment_id("Lost")):
        assert api.get(path).status_code == 403


def test_marketing_reads_everything(marketing_api):
    for path in paths(segment_id("Lost")):
        assert marketing_api.get(path).status_code == 200, path


@pytest.mark.parametrize("unknown", [987654321, "abc"])
def test_unknown_segments_are_a_404(staff_api, unknown):
    for path in paths(unknown)[1:]:
        response = staff_api.get(path)

        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"


def test_segments_are_read_only(staff_api):
    assert staff_api.post("/api/v1/rfm-segments/", {"name": "X"}).status_code == 405
    assert staff_api.delete(f"/api/v1/rfm-segments/{segment_id('Lost')}/").status_code == 405


def test_the_schema_describes_the_rfm_endpoints(marketing_api):
    schema = marketing_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {
        "/api/v1/rfm-segments/",
        "/api/v1/rfm-segments/{id}/",
        "/api/v1/rfm-segments/{id}/members/",
        "/api/v1/rfm-segments/{id}/export/",
    } <= set(schema["paths"])
    export = schema["paths"]["/api/v1/rfm-segments/{id}/export/"]["get"]["responses"]["200"]
    assert "text/csv" in export["content"]
