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


def cascade_through_leading_key(collector, sub_objs, *, leading_field: str, leading_ids: list) -> None:
    """Django's CASCADE, for a table keyed by (``leading_field``, the deleted rows' foreign key)
    that has no index on the foreign key alone: naming every value of the leading column makes
    the delete one probe of the key per value instead of a read of the whole table. Like CASCADE
    when nothing listens to the rows' signals, they are deleted in one statement, unfetched.

    Called by an ``on_delete`` function that sets ``lazy_sub_objs = True`` (the collector then
    need not fetch the rows to call it) and knows the leading values."""
    collector.fast_deletes.append(sub_objs.filter(**{f"{leading_field}__in": leading_ids}))
