"""Let the Marketing group see the forecasts and train the models."""

from django.db import migrations

from accounts.permission_grants import permissions_grant, permissions_revoke

MARKETING_GROUP = "Marketing"
PERMISSIONS = ("view_forecast", "start_forecast", "view_customerforecast")


def grant(apps, schema_editor):
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="predictions", codenames=PERMISSIONS)


def revoke(apps, schema_editor):
    permissions_revoke(apps, group_name=MARKETING_GROUP, app_label="predictions", codenames=PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("predictions", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
