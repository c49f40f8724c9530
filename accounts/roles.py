"""Who may do what.

The Marketing group and its permissions are created by data migrations
(``customers/migrations/0002_marketing_group.py``, ``segmentation/migrations/0003_marketing_permissions.py``);
staff users are the admins.
"""

MARKETING_GROUP = "Marketing"
