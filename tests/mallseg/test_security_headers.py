"""Every page says where its scripts may come from (CSP: our own files only) and turns off the
browser features the portal never uses (Permissions-Policy); no page carries an inline script."""

import re

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


@pytest.fixture
def portal_pages(blob_customers):
    run = run_now(k=4)
    return [
        reverse("segmentation:dashboard"),
        reverse("segmentation:runs"),
        reverse("segmentation:run", args=[run.pk]),
        reverse("segmentation:segment", args=[run.segments.first().pk]),
        reverse("segmentation:predict") + "?annual_income=50&spending_score=50",
        CustomerFactory().get_absolute_url(),
        reverse("customers:import"),
        "/api/docs/",
    ]


def test_pages_allow_scripts_only_from_the_site_itself(marketing_client, portal_pages):
    for page in portal_pages:
        response = marketing_client.get(page)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_no_page_carries_an_inline_script(marketing_client, portal_pages):
    for page in portal_pages:
        content = marketing_client.get(page).content.decode()
        assert not INLINE_SCRIPT.search(content), page


def test_the_api_docs_load_their_start_up_script_as_a_file(marketing_client):
    content = marketing_client.get("/api/docs/").content.decode()
    script = marketing_client.get("/api/docs/?script=")

    assert '<script src="/api/docs/?script="' in content
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
