"""Changing the playbook: personas (with their matching rule) and campaigns, fully validated."""

from django.db import transaction

from core.exceptions import Conflict
from core.saving import validated_create, validated_update
from segmentation.models import Campaign, Persona


def persona_create(**values) -> Persona:
    """Create a persona after full validation: a unique name and a rule the engine can match."""
    return validated_create(Persona, unique_field="name", **values)


def persona_update(*, persona: Persona, **values) -> Persona:
    """Change some of a persona's values after full validation."""
    return validated_update(persona, unique_field="name", **values)


@transaction.atomic
def persona_delete(*, persona: Persona) -> None:
    """Delete a persona; segments that earned it keep their name and lose their campaigns."""
    persona.delete()


def campaign_create(**values) -> Campaign:
    """Create a campaign after full validation (a unique title, a known channel)."""
    return validated_create(Campaign, unique_field="title", **values)


def campaign_update(*, campaign: Campaign, **values) -> Campaign:
    """Change some of a campaign's values after full validation."""
    return validated_update(campaign, unique_field="title", **values)


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    """Delete a campaign; the personas that recommended it stop recommending it. A campaign with
    measured outcomes is kept (Conflict): deleting it would lose what it achieved."""
    measured = campaign.outcomes.count()
    if measured:
        raise Conflict(
            f"Campaign '{campaign.title}' has {measured:,} recorded outcome(s), which deleting it would "
            "lose. Detach it from its personas instead, or delete its outcomes in the admin first."
        )
    campaign.delete()
