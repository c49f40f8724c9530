"""Model viewsets whose writes go through the app's services, never through the serializer's save."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class WriteServices:
    """The services of one model: ``create(**values)``, and ``update``/``delete`` taking the row
    as the keyword named after the model (``customer_update(customer=…, **values)``)."""

    create: Callable[..., models.Model]
    update: Callable[..., models.Model]
    delete: Callable[..., None]


class ServiceWritesMixin:
    """Create, update and delete through ``write_services``, after the serializer validated the input."""

    write_services: WriteServices

    def perform_create(self, serializer) -> None:
        serializer.instance = self.write_services.create(**serializer.validated_data)

    def perform_update(self, serializer) -> None:
        row = serializer.instance
        serializer.instance = self.write_services.update(**_as_keyword(row), **serializer.validated_data)

    def perform_destroy(self, instance) -> None:
        self.write_services.delete(**_as_keyword(instance))


def _as_keyword(row: models.Model) -> dict[str, models.Model]:
    return {row._meta.model_name: row}
