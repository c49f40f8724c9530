"""Abstract building blocks shared by the apps' models."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change times.

    Bulk writers that bypass the ORM (the customer import) set both columns themselves.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
