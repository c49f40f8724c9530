import pytest
from django.urls import reverse

from segmentation.models import Persona, SegmentationRun
from tests.factories import run_now

pytestmark = pytest.mark.django_db


def test_staff_edit_a_persona_rule_and_a_bad_rule_is_refused_at_the_field(staff_client):
    persona = Persona.objects.get(name="Cautious Spenders")
    url = reverse("admin:segmentation_persona_change", args=[persona.pk])
    form = {
        "name": persona.name,
        "description": persona.description,
        "campaign_links-TOTAL_FORMS": 0,
        "campaign_links-INITIAL_FORMS": 0,
    }

    bad = staff_client.post(url, {**form, "rule": '{"annual_income": "enormous"}'})
    good = staff_client.post(url, {**form, "rule": '{"annual_income": "high", "age": "low"}'})

    assert "rule" in bad.context["adminform"].form.errors
    assert good.status_code == 302
    persona.refresh_from_db()
    assert persona.rule == {"annual_income": "high", "age": "low"}


def test_seed_personas_come_with_their_campaigns(staff_client):
    response = staff_client.get(reverse("admin:segmentation_persona_changelist"))

    assert response.status_code == 200
    assert Persona.objects.count() == 9  # five on income and spending, four on behaviour
    lapsed = Persona.objects.get(name="Lapsed High Spenders")
    assert [c.title for c in lapsed.ordered_campaigns()] == ["Win-back voucher"]
    premium = Persona.objects.get(name="Premium Shoppers")
    assert [c.title for c in premium.ordered_campaigns()] == [
        "Exclusive offers",
        "Luxury brand promotions",
        "VIP membership",
    ]


def test_staff_make_a_run_active_from_admin(staff_client, blob_customers):
    run_now(k=4)
    second = run_now(k=3)

    staff_client.post(
        reverse("admin:segmentation_segmentationrun_changelist"),
        {"action": "make_active", "_selected_action": [second.pk]},
    )

    assert SegmentationRun.objects.active() == second


def test_run_admin_shows_segments(staff_client, blob_customers):
    run = run_now(k=4)

    response = staff_client.get(reverse("admin:segmentation_segmentationrun_change", args=[run.pk]))

    assert response.status_code == 200
    assert response.content.decode().count("segments-") > 0


def test_marketing_user_cannot_edit_personas(marketing_client):
    persona = Persona.objects.first()

    response = marketing_client.get(reverse("admin:segmentation_persona_change", args=[persona.pk]))

    assert response.status_code == 302
