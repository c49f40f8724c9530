"""Links other apps add to segmentation's pages, so segmentation needs to know none of them.

An app registers a link in its ``AppConfig.ready()``: the page it goes on (``SEGMENT_PAGE``, where
its URL gets ``?segment=<id>``, or ``PREDICT_PAGE``), a label, the URL name of its own page and
the permission a user needs to see it.
"""

from dataclasses import dataclass

from django.urls import reverse

SEGMENT_PAGE = "segment"
PREDICT_PAGE = "predict"


@dataclass(frozen=True)
class PageLink:
    page: str
    label: str
    url_name: str
    permission: str


_links: list[PageLink] = []


def page_link_register(link: PageLink) -> None:
    """Add ``link`` to its page (registering the same link twice adds it once)."""
    if link not in _links:
        _links.append(link)


def page_links(*, page: str, user, query: str = "") -> list[tuple[str, str]]:
    """(label, URL) of each link registered for ``page`` that the user may follow; ``query`` (already
    encoded) is added to each URL."""
    suffix = f"?{query}" if query else ""
    return [
        (link.label, reverse(link.url_name) + suffix)
        for link in _links
        if link.page == page and user.has_perm(link.permission)
    ]
