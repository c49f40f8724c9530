"""The audit trail, newest first, in pages that cost the same however long the trail grows."""

from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

ENTRIES_PER_PAGE = 50


@dataclass(frozen=True)
class TrailPage:
    entries: list[LogEntry]
    older_than: int | None
    """The id to ask for the next, older page with; None on the last page."""


def audit_trail(
    *, model: str = "", actor: str = "", older_than: int | None = None, size: int = ENTRIES_PER_PAGE
) -> TrailPage:
    """Entries about objects of ``model`` ("app_label.model", empty: any) by the user named
    ``actor`` (empty: anyone), before the entry ``older_than``."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-pk")
    if model:
        app_label, _, model_name = model.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if actor:
        entries = entries.filter(actor__username=actor)
    if older_than is not None:
        entries = entries.filter(pk__lt=older_than)
    rows = list(entries[: size + 1])
    return TrailPage(entries=rows[:size], older_than=rows[size - 1].pk if len(rows) > size else None)


def audited_models() -> list[tuple[str, str]]:
    """("app_label.model", its name) for every model whose changes are kept, by name."""
    models = sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))
    return [
        (
            f"{ContentType.objects.get_for_model(model).app_label}.{model._meta.model_name}",
            str(model._meta.verbose_name),
        )
        for model in models
    ]
