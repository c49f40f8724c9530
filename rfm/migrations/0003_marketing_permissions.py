"""Let the Marketing group see the RFM grid and members, and export them."""

from django.db import migrations

from accounts.permission_grants import permissions_grant, permissions_revoke

MARKETING_GROUP = "Marketing"
MARKETING_PERMISSIONS = ("view_rfmsegment", "view_customerrfm", "export_rfm_members")


def grant(apps, schema_editor):
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="rfm", codenames=MARKETING_PERMISSIONS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, group_name=MARKETING_GROUP, app_label="rfm", codenames=MARKETING_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("rfm", "0002_classic_segments"),
        ("customers", "0002_marketing_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
