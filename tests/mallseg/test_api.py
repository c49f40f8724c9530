"""The API as wired in mallseg (settings, api_urls, urls): JSON request bodies only, the
OpenAPI schema and its docs page, and the request rate limit."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import UserRateThrottle

from tests.factories import UserFactory, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def test_a_body_that_is_not_json_is_a_400(staff_api):
    response = staff_api.generic("POST", URL, "{not json", content_type="application/json")

    assert response.status_code == 400


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
    for path in ("/api/v1/runs/", "/api/v1/predict/"):
        assert {"400", "422"} <= set(paths[path]["post"]["responses"])
    assert {"202", "400", "409", "413", "503"} <= set(paths["/api/v1/imports/"]["post"]["responses"])
    assert anonymous_api.get("/api/schema/").status_code == 401


def test_users_without_a_role_are_refused_the_schema_and_the_docs(client):
    no_role = UserFactory(username="no-role")
    client.force_login(no_role)

    assert token_client(no_role).get("/api/schema/").status_code == 403
    assert client.get("/api/docs/").status_code == 403


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
