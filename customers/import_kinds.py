"""Which use case imports each kind of file (``ImportKind``).

The customer book's own kinds (customers, purchases) are registered by this app; an app above
it registers the kinds it owns (segmentation: campaign outcomes) in its ``AppConfig.ready``, so
the import jobs, the page, the API and the commands run every kind the same way without this
app importing the apps that build on it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from customers.importing.report import ImportReport


@dataclass(frozen=True)
class Importer:
    """``run`` takes ``file``, ``file_name``, ``skip_invalid``, ``on_progress``, ``on_written`` and,
    when the kind ``reads_dates``, ``date_format``; it returns the ImportReport. ``follow_up`` is
    the page to see once an import succeeded, as (link text, URL name)."""

    run: Callable[..., ImportReport]
    reads_dates: bool
    follow_up: tuple[str, str]


_importers: dict[str, Importer] = {}


def importer_register(
    kind: str, run: Callable[..., ImportReport], *, reads_dates: bool, follow_up: tuple[str, str]
) -> None:
    _importers[kind] = Importer(run=run, reads_dates=reads_dates, follow_up=follow_up)


def importer_of(kind: str) -> Importer:
    """How files of ``kind`` are imported; LookupError when no app registered the kind."""
    try:
        return _importers[kind]
    except KeyError:
        raise LookupError(f"No importer is registered for files of kind {kind!r}.") from None
