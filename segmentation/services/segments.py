"""Hand edits of a segment: the marketing team's name, persona and note, kept by later runs."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from segmentation.models import Persona, Segment


def segment_edit(
    *, segment: Segment, user: AbstractBaseUser, name: str, persona: Persona | None, note: str
) -> Segment:
    """Rename the segment, choose its persona and write its note, as ``user``. The runs that
    continue it carry these over (``services.identity``)."""
    if not user.has_perm("segmentation.change_segment"):
        raise PermissionDenied("Editing segments needs the 'change segment' permission.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A segment needs a name."})
    if segment.is_outliers and persona is not None:
        raise ValidationError({"persona": "Outliers never get a persona: they are in no segment."})
    segment.name, segment.persona, segment.note = name, persona, note.strip()
    segment.edited_by, segment.edited_at = user, timezone.now()
    segment.full_clean(exclude=["run", "continues"])
    segment.save(update_fields=["name", "persona", "note", "edited_by", "edited_at"])
    return segment
