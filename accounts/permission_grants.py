"""Giving a role an app's permissions from that app's data migrations.

Permissions are normally created after all migrations run; a data migration that grants them
must create them first. The historical app config lacks ``models_module``, which Django's
``create_permissions`` checks, so it is set for the call.
"""

from django.contrib.auth.management import create_permissions


def permissions_grant(apps, *, group_name: str, app_label: str, codenames: tuple[str, ...]) -> None:
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    group.permissions.add(*_permissions(apps, app_label, codenames))


def permissions_revoke(apps, *, group_name: str, app_label: str, codenames: tuple[str, ...]) -> None:
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group:
        group.permissions.remove(*_permissions(apps, app_label, codenames))


def _permissions(apps, app_label: str, codenames: tuple[str, ...]):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
