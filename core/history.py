"""The audit trail (django-auditlog): which models it keeps, and an object's own history for the
pages that show it."""

from collections.abc import Sequence

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model

HISTORY_SHOWN = 20
UNAUDITED_FIELDS = ("created_at", "updated_at")


def object_history(*, obj: Model, limit: int = HISTORY_SHOWN) -> list[LogEntry]:
    """The latest ``limit`` entries about ``obj``, newest first, with their actors."""
    return list(LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit])


def audit_changes_of(model: type[Model], *, fields: Sequence[str] = ()) -> None:
    """Keep the changes to ``model`` in the audit trail: to ``fields``, or to every column of its
    own but its timestamps (never reverse relations, which are other models' records)."""
    own = [field.name for field in model._meta.concrete_fields if field.name not in UNAUDITED_FIELDS]
    auditlog.register(model, include_fields=list(fields) or own)
