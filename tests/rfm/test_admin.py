"""RFM in Django admin: segment rules are edited with their ranges checked, customers are placed
again on save, gaps in the rules are pointed out, and the scores are read only."""

import pytest
from django.urls import reverse

from rfm.models import CustomerRfm, RfmSegment

pytestmark = pytest.mark.django_db


def form_data(segment: RfmSegment, **changes) -> dict:
    data = {
        field: getattr(segment, field)
        for field in (
            "name", "description", "priority", "colour", "recency_min", "recency_max",
            "frequency_min", "frequency_max", "monetary_min", "monetary_max",
        )
    }  # fmt: skip
    return {**data, **changes}


def change_url(segment: RfmSegment) -> str:
    return reverse("admin:rfm_rfmsegment_change", args=[segment.pk])


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"recency_min": 0}, "greater than or equal to 1"),
        ({"frequency_max": 6}, "less than or equal to 5"),
        ({"monetary_min": 4, "monetary_max": 2}, "The monetary range ends below its start (4 to 2)."),
    ],
)
def test_a_rule_outside_1_to_5_or_reversed_is_refused(staff_client, changes, message):
    champions = RfmSegment.objects.get(name="Champions")

    response = staff_client.post(change_url(champions), form_data(champions, **changes))

    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert RfmSegment.objects.get(pk=champions.pk).rule == champions.rule


def test_a_taken_priority_is_refused(staff_client):
    champions = RfmSegment.objects.get(name="Champions")
    lost_priority = RfmSegment.objects.get(name="Lost").priority

    response = staff_client.post(change_url(champions), form_data(champions, priority=lost_priority))

    assert "already exists" in response.content.decode()


def test_saving_a_rule_places_customers_again(staff_client, ten_customers):
    champions = RfmSegment.objects.get(name="Champions")

    response = staff_client.post(change_url(champions), form_data(champions, recency_min=1, frequency_min=1))

    assert response.status_code == 302
    assert CustomerRfm.objects.filter(segment=champions).count() == 10  # the first rule now takes all


def test_a_gap_in_the_rules_is_pointed_out(staff_client):
    lost = RfmSegment.objects.get(name="Lost")
    hibernating = RfmSegment.objects.get(name="Hibernating")
    staff_client.post(change_url(hibernating), form_data(hibernating, recency_min=2))

    response = staff_client.post(
        reverse("admin:rfm_rfmsegment_delete", args=[lost.pk]), {"post": "yes"}, follow=True
    )

    assert "5 of the 125 score combinations match no rule (R1 F1 M1, R1 F1 M2" in response.content.decode()


def test_the_segment_list_shows_rules_and_customers(staff_client, ten_customers):
    content = staff_client.get(reverse("admin:rfm_rfmsegment_changelist")).content.decode()

    assert "R 4–5 · F 4–5" in content
    assert "Can&#x27;t Lose Them" in content


def test_scores_are_read_only(staff_client, ten_customers):
    row = CustomerRfm.objects.first()

    assert staff_client.get(reverse("admin:rfm_customerrfm_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:rfm_customerrfm_add")).status_code == 403
    response = staff_client.post(reverse("admin:rfm_customerrfm_change", args=[row.pk]), {"recency_score": 1})
    assert response.status_code == 403
