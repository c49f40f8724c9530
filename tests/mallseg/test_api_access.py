"""Who may call what: every API endpoint of mallseg/api_urls.py for an anonymous client, a user
without a role, Marketing and staff, and every detail route with an unknown id."""

import io
from dataclasses import dataclass

import pytest

from customers.models import Customer
from segmentation.models import Campaign, Persona
from tests.factories import UserFactory, run_now, token_client

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Ids:
    customer: int
    run: int
    segment: int
    persona: int
    campaign: int


@pytest.fixture
def ids(blob_customers) -> Ids:
    run = run_now()
    return Ids(
        customer=Customer.objects.first().pk,
        run=run.pk,
        segment=run.segments.first().pk,
        persona=Persona.objects.first().pk,
        campaign=Campaign.objects.first().pk,
    )


READS = [
    "customers/",
    "customers/{customer}/",
    "customers/{customer}/segment/",
    "runs/",
    "runs/{run}/",
    "segments/",
    "segments/{segment}/",
    "segments/{segment}/members/",
    "segments/{segment}/export/",
    "personas/",
    "personas/{persona}/",
    "campaigns/",
    "campaigns/{campaign}/",
]
STAFF_WRITES = [
    ("post", "customers/"),
    ("put", "customers/{customer}/"),
    ("patch", "customers/{customer}/"),
    ("delete", "customers/{customer}/"),
    ("post", "personas/"),
    ("put", "personas/{persona}/"),
    ("patch", "personas/{persona}/"),
    ("delete", "personas/{persona}/"),
    ("post", "campaigns/"),
    ("put", "campaigns/{campaign}/"),
    ("patch", "campaigns/{campaign}/"),
    ("delete", "campaigns/{campaign}/"),
]
MARKETING_WRITES = [
    ("post", "runs/"),
    ("post", "runs/{run}/activate/"),
    ("post", "runs/{run}/cancel/"),
    ("post", "predict/"),
    ("post", "imports/"),
]
EVERY_ENDPOINT = [("get", path) for path in READS] + STAFF_WRITES + MARKETING_WRITES


def call(api, method: str, path: str, ids: Ids, body=None):
    return getattr(api, method)("/api/v1/" + path.format(**vars(ids)), body, format="json")


@pytest.mark.parametrize("method, path", EVERY_ENDPOINT)
def test_anonymous_clients_get_401_everywhere(anonymous_api, ids, method, path):
    response = call(anonymous_api, method, path, ids)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("method, path", EVERY_ENDPOINT)
def test_a_user_without_a_role_gets_403_everywhere(ids, method, path):
    response = call(token_client(UserFactory()), method, path, ids)

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


@pytest.mark.parametrize("path", READS)
def test_marketing_reads_everything(marketing_api, ids, path):
    assert call(marketing_api, "get", path, ids).status_code == 200


@pytest.mark.parametrize("method, path", STAFF_WRITES)
def test_marketing_cannot_write_customers_personas_or_campaigns(marketing_api, ids, method, path):
    assert call(marketing_api, method, path, ids).status_code == 403


def test_marketing_starts_activates_predicts_and_imports(marketing_api, ids):
    started = call(marketing_api, "post", "runs/", ids, {"features": ["age"]})
    activated = call(marketing_api, "post", "runs/{run}/activate/", ids)
    predicted = call(marketing_api, "post", "predict/", ids, {"annual_income": 50, "spending_score": 50})
    file = io.BytesIO(b"CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\nX1,Male,30,40,50\n")
    file.name = "one.csv"
    imported = marketing_api.post("/api/v1/imports/", {"file": file}, format="multipart")

    assert [started.status_code, activated.status_code, predicted.status_code, imported.status_code] == [
        202,
        200,
        200,
        202,
    ]


@pytest.mark.parametrize("method, path", [("get", path) for path in READS if "{" in path] + STAFF_WRITES[1:4])
@pytest.mark.parametrize("unknown", [987654321, "abc"])
def test_unknown_ids_are_a_404_in_the_error_shape(staff_api, method, path, unknown):
    unknown_ids = Ids(customer=unknown, run=unknown, segment=unknown, persona=unknown, campaign=unknown)

    response = call(staff_api, method, path, unknown_ids, {})

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("action", ["activate", "cancel"])
def test_run_actions_on_an_unknown_run_are_a_404(staff_api, action):
    assert staff_api.post(f"/api/v1/runs/987654321/{action}/").status_code == 404
