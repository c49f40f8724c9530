"""Actions other apps offer on a segment's page (a link each), so segmentation knows none of them.

An app registers an action in its ``AppConfig.ready()``: a label, the URL name of its page (which
takes the segment as ``?segment=<id>``) and the permission a user needs to see it.
"""

from dataclasses import dataclass

from django.urls import reverse

from segmentation.models import Segment


@dataclass(frozen=True)
class SegmentAction:
    label: str
    url_name: str
    permission: str


_actions: list[SegmentAction] = []


def segment_action_register(action: SegmentAction) -> None:
    """Add ``action`` to every segment's page (registering the same action twice adds it once)."""
    if action not in _actions:
        _actions.append(action)


def segment_actions_for(*, user, segment: Segment) -> list[tuple[str, str]]:
    """(label, URL) of each registered action the user may take on ``segment``."""
    return [
        (action.label, f"{reverse(action.url_name)}?segment={segment.pk}")
        for action in _actions
        if user.has_perm(action.permission)
    ]
