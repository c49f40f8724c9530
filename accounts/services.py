"""Use cases of accounts: the demo logins of a development machine."""

import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.roles import MARKETING_GROUP


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


@transaction.atomic
def demo_logins_reset() -> list[DemoLogin]:
    """Create or reset an analyst and an admin login, each with a fresh random password and no lockout."""
    analyst, analyst_password = _reset_user("analyst", is_staff=False)
    analyst.groups.add(Group.objects.get(name=MARKETING_GROUP))
    admin, admin_password = _reset_user("admin", is_staff=True)
    return [
        DemoLogin(analyst.username, analyst_password, "marketing analyst"),
        DemoLogin(admin.username, admin_password, "admin (staff, Django admin)"),
    ]


def _reset_user(username: str, *, is_staff: bool) -> tuple[User, str]:
    """Give the user a fresh password and clear any lockout from failed logins."""
    user, _ = User.objects.get_or_create(username=username)
    axes_reset(username=username)
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.is_staff = user.is_superuser = is_staff
    user.save()
    return user, password
