"""Creating and changing one validated row whose unique value another request may take at the same moment."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

Model = TypeVar("Model", bound=models.Model)


def validated_create(model: type[Model], *, unique_field: str, **values) -> Model:
    """Create a ``model`` row from ``values`` after full validation (see ``validated_save``)."""
    instance = model(**values)
    validated_save(instance, unique_field=unique_field)
    return instance


def validated_update(instance: Model, *, unique_field: str, **values) -> Model:
    """Change some of ``instance``'s values after full validation (see ``validated_save``)."""
    for field, value in values.items():
        setattr(instance, field, value)
    validated_save(instance, unique_field=unique_field)
    return instance


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
        field_name = meta.get_field(unique_field).verbose_name
        message = f"A {meta.verbose_name} with this {field_name} already exists."
        raise ValidationError({unique_field: ValidationError(message, code="unique")}) from error
