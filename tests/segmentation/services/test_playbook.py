"""Changing personas and campaigns: fully validated, the same rules as admin and the API."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from segmentation.models import Campaign, Persona
from segmentation.services.playbook import (
    campaign_create,
    campaign_delete,
    campaign_update,
    persona_create,
    persona_delete,
    persona_update,
)

pytestmark = pytest.mark.django_db


def test_a_persona_is_created_with_a_rule_the_engine_can_match():
    persona = persona_create(name="Night Owls", description="Shop late.", rule={"age": "low"})

    assert Persona.objects.get(pk=persona.pk).rule == {"age": "low"}


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"shoe_size": "high"}, "uses shoe_size, which is neither a feature nor a declared attribute"),
        ({"age": "extreme"}, "use low, mid, high"),
        ({}, "requires no level"),
        (["age"], "Write the rule as a JSON object"),
    ],
)
def test_a_persona_rule_the_engine_cannot_match_is_refused_at_the_rule(rule, message):
    with pytest.raises(ValidationError) as refused:
        persona_create(name="Broken", description="Never saved.", rule=rule)

    assert message in " ".join(refused.value.message_dict["rule"])
    assert not Persona.objects.filter(name="Broken").exists()


def test_a_persona_keeps_its_values_when_a_change_is_refused():
    persona = Persona.objects.get(name="Premium Shoppers")

    with pytest.raises(ValidationError):
        persona_update(persona=persona, rule={"age": "extreme"})

    assert Persona.objects.get(pk=persona.pk).rule == {"annual_income": "high", "spending_score": "high"}


def test_a_taken_persona_name_is_refused_as_a_uniqueness_error():
    with pytest.raises(ValidationError) as refused:
        persona_create(name="Premium Shoppers", description="Twice.", rule={"age": "low"})

    assert [error.code for error in refused.value.error_dict["name"]] == ["unique"]


def test_a_name_taken_between_the_check_and_the_write_is_the_same_uniqueness_error():
    with (
        mock.patch.object(Persona, "validate_unique"),
        mock.patch.object(Persona, "save", side_effect=IntegrityError("duplicate key")),
        pytest.raises(ValidationError) as refused,
    ):
        persona_create(name="Racing", description="Lost the race.", rule={"age": "low"})

    assert [error.code for error in refused.value.error_dict["name"]] == ["unique"]
    assert "A persona with this name already exists." in refused.value.message_dict["name"]


def test_campaigns_are_created_changed_and_deleted():
    campaign = campaign_create(title="Late opening", channel="sms", offer="Open till 11.", rationale="Owls.")
    campaign_update(campaign=campaign, channel="app")

    assert Campaign.objects.get(pk=campaign.pk).channel == "app"
    campaign_delete(campaign=campaign)
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


def test_a_campaign_with_an_unknown_channel_is_refused():
    with pytest.raises(ValidationError) as refused:
        campaign_create(title="Pigeon post", channel="pigeon", offer="Coo.", rationale="Why not.")

    assert "channel" in refused.value.message_dict


def test_deleting_a_persona_leaves_its_campaigns():
    persona = Persona.objects.get(name="Cautious Spenders")
    campaign_ids = [campaign.pk for campaign in persona.ordered_campaigns()]

    persona_delete(persona=persona)

    assert not Persona.objects.filter(name="Cautious Spenders").exists()
    assert Campaign.objects.filter(pk__in=campaign_ids).count() == len(campaign_ids)
