import csv
import io
from unittest import mock

import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from segmentation.models import Persona, SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.services.runs import segmentation_run_start
from tests.api.conftest import token_client
from tests.factories import CustomerFactory, UserFactory, run_now

pytestmark = pytest.mark.django_db


# RUNS


def test_starting_a_run_answers_202_with_its_url_and_queues_it(
    marketing_api, django_capture_on_commit_callbacks
):
    with (
        mock.patch("segmentation.tasks.execute_segmentation_run.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = marketing_api.post(
            "/api/v1/runs/",
            {"features": ["annual_income", "spending_score"], "k": 4, "seed": 3},
            format="json",
        )

    run = SegmentationRun.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"/api/v1/runs/{run.pk}/" == response.json()["url"]
    assert response.json()["status"] == "queued" and run.requested_k == 4
    delay.assert_called_once_with(run.pk)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "features"),
        ({"features": ["shoe_size"]}, "features"),
        ({"features": ["age"], "k": 1}, "k"),
        ({"features": ["age"], "scaling": "log"}, "scaling"),
        ({"features": "age"}, "features"),
    ],
)
def test_bad_run_parameters_are_a_400_and_nothing_is_queued(marketing_api, body, field):
    response = marketing_api.post("/api/v1/runs/", body, format="json")

    assert response.status_code == 400, response.json()
    assert field in [error["attr"] for error in response.json()["errors"]]
    assert not SegmentationRun.objects.exists()


def test_a_crossed_k_range_is_a_422_and_nothing_is_queued(marketing_api):
    crossed = {"features": ["age"], "k_min": 6, "k_max": 4}

    response = marketing_api.post("/api/v1/runs/", crossed, format="json")

    assert response.status_code == 422
    assert "(6, 4)" in response.json()["errors"][0]["detail"]
    assert not SegmentationRun.objects.exists()


def test_run_detail_reports_status_progress_and_sweep(marketing_api, blob_customers):
    run = run_now()

    body = marketing_api.get(f"/api/v1/runs/{run.pk}/").json()

    assert (body["status"], body["progress"], body["k"], body["is_active"]) == ("succeeded", 100, 4, True)
    assert body["k_sweep"]["ks"] == list(range(2, 11))


def test_runs_list_and_unknown_run(marketing_api, blob_customers):
    run_now()

    assert len(marketing_api.get("/api/v1/runs/").json()["results"]) == 1
    assert marketing_api.get("/api/v1/runs/999/").status_code == 404
    huge = marketing_api.get(f"/api/v1/runs/{10**30}/")
    assert huge.status_code == 404 and huge.json()["errors"][0]["code"] == "not_found"


def test_activate_switches_the_active_run_and_refuses_a_failed_one(marketing_api, blob_customers):
    run_now(k=4)
    second = run_now(k=3)
    failed = SegmentationRun.objects.create(features=["age"], status="failed", error="x")

    ok = marketing_api.post(f"/api/v1/runs/{second.pk}/activate/")
    refused = marketing_api.post(f"/api/v1/runs/{failed.pk}/activate/")

    assert ok.status_code == 200 and ok.json()["is_active"]
    assert refused.status_code == 409
    assert refused.json()["errors"][0] == {
        "code": "conflict",
        "detail": "Only a succeeded run can be made active.",
        "attr": None,
    }


def test_cancel_is_for_the_starter_or_staff(marketing_api, marketing_user, staff_api):
    mine = segmentation_run_start(started_by=marketing_user, features=["age"], enqueue=False)
    theirs = segmentation_run_start(started_by=UserFactory(), features=["age"], enqueue=False)

    assert marketing_api.post(f"/api/v1/runs/{mine.pk}/cancel/").json()["status"] == "cancelled"
    forbidden = marketing_api.post(f"/api/v1/runs/{theirs.pk}/cancel/")
    assert (
        forbidden.status_code == 403
        and "Only the user who started" in forbidden.json()["errors"][0]["detail"]
    )
    assert staff_api.post(f"/api/v1/runs/{theirs.pk}/cancel/").status_code == 200


def test_a_user_without_the_start_permission_cannot_start_runs(client):
    api = token_client(UserFactory())

    assert api.post("/api/v1/runs/", {"features": ["age"]}, format="json").status_code == 403


# SEGMENTS


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


# PERSONAS AND CAMPAIGNS


def test_marketing_reads_personas_and_campaigns_but_cannot_write(marketing_api):
    personas = marketing_api.get("/api/v1/personas/").json()["results"]
    campaigns = marketing_api.get("/api/v1/campaigns/").json()["results"]

    assert {persona["name"] for persona in personas} >= {"Premium Shoppers", "Standard Shoppers"}
    assert len(campaigns) == 10
    assert marketing_api.post("/api/v1/campaigns/", {"title": "x"}).status_code == 403
    assert marketing_api.delete(f"/api/v1/personas/{personas[0]['id']}/").status_code == 403


def test_staff_write_personas_with_validated_rules(staff_api):
    good = staff_api.post(
        "/api/v1/personas/",
        {"name": "Young Savers", "description": "d", "rule": {"age": "low", "spending_score": "low"}},
        format="json",
    )
    bad = staff_api.post(
        "/api/v1/personas/", {"name": "Odd", "description": "d", "rule": {"shoe_size": "high"}}, format="json"
    )

    assert good.status_code == 201 and Persona.objects.filter(name="Young Savers").exists()
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "rule"


def test_a_taken_persona_name_is_a_409(staff_api):
    response = staff_api.post(
        "/api/v1/personas/",
        {"name": "Premium Shoppers", "description": "d", "rule": {"age": "low"}},
        format="json",
    )

    assert response.status_code == 409 and response.json()["errors"][0]["attr"] == "name"
    assert Persona.objects.filter(name="Premium Shoppers").count() == 1


def test_staff_write_campaigns(staff_api):
    response = staff_api.post(
        "/api/v1/campaigns/", {"title": "Birthday treat", "channel": "email", "offer": "o", "rationale": "r"}
    )

    taken = staff_api.post(
        "/api/v1/campaigns/", {"title": "Birthday treat", "channel": "sms", "offer": "o", "rationale": "r"}
    )
    taken_and_bad = staff_api.post("/api/v1/campaigns/", {"title": "Birthday treat", "channel": "fax"})

    assert response.status_code == 201
    assert taken.status_code == 409 and taken.json()["errors"][0]["code"] == "unique"
    assert taken_and_bad.status_code == 400


# PREDICT


def test_predict_returns_the_segment_of_the_active_run(marketing_api, mall_customers):
    run_now()

    body = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 26, "spending_score": 79}, format="json"
    ).json()

    assert body["segment"]["persona"]["name"] == "Impulse Buyers"
    [first, *_] = body["recommendations"]
    assert first["campaign"]["title"] == "Flash sales"
    assert first["reason"].startswith("Income 26k$ is in the bottom")
    assert "one of the Impulse Buyers. Offer flash sales:" in first["reason"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"annual_income": "lots", "spending_score": 50}, "annual_income"),
        ({"annual_income": 26, "spending_score": 0}, "spending_score"),
    ],
)
def test_predict_refuses_bad_values_at_the_field(marketing_api, blob_customers, body, field):
    run_now()

    response = marketing_api.post("/api/v1/predict/", body, format="json")

    assert response.status_code == 400
    assert field in [error["attr"] for error in response.json()["errors"]]


def test_predict_without_a_value_the_active_run_needs_is_a_422(marketing_api, blob_customers):
    run_now()

    response = marketing_api.post("/api/v1/predict/", {"annual_income": 26, "age": 30}, format="json")

    assert response.status_code == 422
    assert [(error["attr"], error["detail"]) for error in response.json()["errors"]] == [
        ("spending_score", "This value is needed by the active segmentation.")
    ]


def test_predict_without_an_active_run_is_a_409(marketing_api):
    response = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 1, "spending_score": 1}, format="json"
    )

    assert response.status_code == 409


# SCHEMA AND DOCS


def test_openapi_schema_is_served_to_authenticated_users(marketing_api, anonymous_api):
    response = marketing_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/customers/", "/api/v1/runs/", "/api/v1/predict/", "/api/v1/imports/"} <= set(paths)
    assert "401" in paths["/api/v1/customers/"]["get"]["responses"]
    assert "401" in paths["/api/v1/auth/token/"]["post"]["responses"]
    for path in ("/api/v1/customers/", "/api/v1/campaigns/", "/api/v1/personas/"):
        assert {"201", "400", "409"} <= set(paths[path]["post"]["responses"])
        assert {"200", "400", "409"} <= set(paths[path + "{id}/"]["patch"]["responses"])
    for path in ("/api/v1/runs/", "/api/v1/predict/", "/api/v1/imports/"):
        assert {"400", "422"} <= set(paths[path]["post"]["responses"])
    assert anonymous_api.get("/api/schema/").status_code == 401


def test_docs_page_uses_vendored_assets(marketing_client):
    content = marketing_client.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in content
    assert 'src="http' not in content and 'href="http' not in content


# THROTTLING


def test_requests_over_the_rate_are_throttled(marketing_api, monkeypatch):
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    cache.clear()

    statuses = [marketing_api.get("/api/v1/personas/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_guessing_passwords_for_a_token_is_throttled(anonymous_api, monkeypatch):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    cache.clear()

    statuses = [
        anonymous_api.post("/api/v1/auth/token/", {"username": "ana", "password": guess}).status_code
        for guess in ("a", "b", "c")
    ]

    assert statuses == [401, 401, 429]
    cache.clear()


def test_predict_refuses_true_and_false_as_numbers(marketing_api, blob_customers):
    run_now()

    response = marketing_api.post(
        "/api/v1/predict/", {"annual_income": False, "spending_score": 1}, format="json"
    )

    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "annual_income"


def test_text_fields_refuse_numbers(staff_api):
    response = staff_api.post(
        "/api/v1/campaigns/", {"title": 7, "channel": "email", "offer": "o", "rationale": "r"}, format="json"
    )

    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "title"
