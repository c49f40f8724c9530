"""Let the Marketing group see the RFM grid and members, and export them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MARKETING_GROUP = "Marketing"
MARKETING_PERMISSIONS = ("view_rfmsegment", "view_customerrfm", "export_rfm_members")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("rfm")
    app_config.models_module = True  # create_permissions checks it; historical configs lack it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MARKETING_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="rfm", codename__in=MARKETING_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MARKETING_GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="rfm", codename__in=MARKETING_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("rfm", "0002_classic_segments"),
        ("customers", "0002_marketing_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
