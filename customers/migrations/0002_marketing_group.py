"""Create the Marketing group: analysts who use the portal but never edit raw records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MARKETING_GROUP = "Marketing"
MARKETING_PERMISSIONS = ("view_customer", "import_customers")


def create_marketing_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make them exist now. The
    # historical app config lacks ``models_module``, which create_permissions checks.
    app_config = apps.get_app_config("customers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MARKETING_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="customers", codename__in=MARKETING_PERMISSIONS)
    )


def remove_marketing_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MARKETING_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_marketing_group, remove_marketing_group)]
