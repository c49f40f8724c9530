"""Let the Marketing group see segmentation results, start and activate runs, and export audiences."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MARKETING_GROUP = "Marketing"
MARKETING_PERMISSIONS = (
    "view_segmentationrun",
    "start_run",
    "activate_run",
    "view_segment",
    "view_persona",
    "view_campaign",
    "export_audience",
)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("segmentation")
    app_config.models_module = True  # create_permissions checks it; historical configs lack it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MARKETING_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="segmentation", codename__in=MARKETING_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MARKETING_GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="segmentation", codename__in=MARKETING_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("segmentation", "0002_seed_personas"),
        ("customers", "0002_marketing_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
