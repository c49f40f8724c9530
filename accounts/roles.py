"""Who may do what.

The Marketing group and its permissions are created by each app's data migrations
(``customers/migrations/0002_marketing_group.py``, ``segmentation/migrations/0003_marketing_permissions.py``,
``rfm/migrations/0003_marketing_permissions.py``, through ``accounts.permission_grants``);
staff users are the admins.
"""

MARKETING_GROUP = "Marketing"


def user_has_role(user) -> bool:
    """Staff, or a member of the Marketing group: a user the portal and the API serve."""
    return user.is_authenticated and (user.is_staff or user.groups.filter(name=MARKETING_GROUP).exists())
