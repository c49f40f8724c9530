"""Saving one validated row whose unique value another request may take at the same moment."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def validated_save(instance: models.Model, *, unique_field: str) -> None:
    """Validate ``instance`` fully (ranges, choices, rules, uniqueness) and save it.

    Another request may take the same ``unique_field`` value between the check and the write:
    the database refuses it, and the caller gets the same error as the check's.
    """
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        meta = instance._meta
        message = (
            f"A {meta.verbose_name} with this {meta.get_field(unique_field).verbose_name} already exists."
        )
        raise ValidationError({unique_field: ValidationError(message, code="unique")}) from error
