"""Let the Marketing group edit a segment's name, persona and note (kept by the runs continuing it)."""

from django.db import migrations

from accounts.permission_grants import permissions_grant, permissions_revoke

MARKETING_GROUP = "Marketing"
PERMISSIONS = ("change_segment",)


def grant(apps, schema_editor):
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=PERMISSIONS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("segmentation", "0010_segment_identity"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
