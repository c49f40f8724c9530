"""Use cases of accounts: API tokens that expire and die with a password change; demo logins."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.roles import MARKETING_GROUP


def api_token_is_expired(token: Token) -> bool:
    return token.created < timezone.now() - timedelta(days=settings.API_TOKEN_DAYS)


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """The user's API token: the current one while it is valid, a new one once it has expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and api_token_is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def api_tokens_revoke_on_password_change(*, user: User) -> None:
    """Delete the user's API token when the password about to be saved differs from the stored one.

    Called before a user is saved (``AccountsConfig.ready``): passwords change in Django admin,
    ``changepassword`` and ``reset_demo_logins``, all through ``User.save``.
    """
    if user.pk is None:
        return
    stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
    if stored is not None and stored != user.password:
        Token.objects.filter(user_id=user.pk).delete()


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
