"""Personas and campaigns over the API (segmentation.api.playbook): Marketing reads, staff write."""

import pytest

from segmentation.models import Persona

pytestmark = pytest.mark.django_db


def test_marketing_reads_personas_and_campaigns_but_cannot_write(marketing_api):
    personas = marketing_api.get("/api/v1/personas/").json()["results"]
    campaigns = marketing_api.get("/api/v1/campaigns/").json()["results"]

    assert {persona["name"] for persona in personas} >= {"Premium Shoppers", "Loyal Regulars"}
    assert len(campaigns) == 16
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
