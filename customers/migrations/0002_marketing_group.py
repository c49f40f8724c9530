"""Create the Marketing group: analysts who use the portal but never edit raw records."""

from django.db import migrations

from accounts.permission_grants import permissions_grant

MARKETING_GROUP = "Marketing"
MARKETING_PERMISSIONS = ("view_customer", "import_customers")


def create_marketing_group(apps, schema_editor):
    permissions_grant(apps, group_name=MARKETING_GROUP, app_label="customers", codenames=MARKETING_PERMISSIONS)


def remove_marketing_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MARKETING_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_marketing_group, remove_marketing_group)]
