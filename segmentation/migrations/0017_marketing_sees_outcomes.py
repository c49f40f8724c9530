"""Let the Marketing group see campaign outcomes (they import them as any file, with import_customers)."""

from django.db import migrations

from accounts.permission_grants import permissions_grant, permissions_revoke

MARKETING_GROUP = "Marketing"
PERMISSIONS = ("view_campaignoutcome",)


def grant(apps, schema_editor):
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=PERMISSIONS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, group_name=MARKETING_GROUP, app_label="segmentation", codenames=PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("segmentation", "0016_campaign_outcomes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
