"""Let the Marketing group see segmentation results, start and activate runs, and export audiences."""

from django.db import migrations

from accounts.permission_grants import permissions_grant, permissions_revoke

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
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=MARKETING_PERMISSIONS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=MARKETING_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("segmentation", "0002_seed_personas"),
        ("customers", "0002_marketing_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
