"""Seeding personas and their campaigns from data, for the migrations that add them.

(The migration loader skips modules whose name starts with an underscore.)
"""


def seed_playbook(apps, campaigns: dict, personas: dict) -> None:
    """Create the campaigns and personas that are missing; never change what admins edited."""
    Campaign = apps.get_model("segmentation", "Campaign")
    Persona = apps.get_model("segmentation", "Persona")
    PersonaCampaign = apps.get_model("segmentation", "PersonaCampaign")
    stored = {}
    for title, (channel, offer, rationale) in campaigns.items():
        stored[title], _ = Campaign.objects.get_or_create(
            title=title, defaults={"channel": channel, "offer": offer, "rationale": rationale}
        )
    for name, (description, rule, titles) in personas.items():
        persona, created = Persona.objects.get_or_create(
            name=name, defaults={"description": description, "rule": rule}
        )
        if created:
            for position, title in enumerate(titles, start=1):
                PersonaCampaign.objects.create(persona=persona, campaign=stored[title], position=position)


def remove_playbook(apps, campaigns: dict, personas: dict) -> None:
    apps.get_model("segmentation", "Persona").objects.filter(name__in=personas).delete()
    apps.get_model("segmentation", "Campaign").objects.filter(title__in=campaigns).delete()
