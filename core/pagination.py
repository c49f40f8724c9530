"""Pagination that stays fast on tables with millions of rows."""

import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

# A row id in a URL or cursor: ASCII digits, at most 18 of them, so it never overflows a bigint.
ID_PATTERN = "[0-9]{1,18}"

# Below this many rows an exact COUNT(*) is cheap enough.
ESTIMATE_ABOVE_ROWS = 100_000


class EstimatedCountPaginator(Paginator):
    """Uses PostgreSQL's row estimate for an unfiltered table instead of COUNT(*).

    A COUNT(*) over a million rows costs a full scan on every admin page load; the planner's
    estimate (kept fresh by autovacuum) is good enough for "page N of about M".
    """

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and connection.vendor == "postgresql" and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE_ROWS:
                return row[0]
        return super().count


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows in ``key`` order, with the cursors of its neighbours (None: no page)."""

    items: list
    next_after: int | None
    previous_before: int | None


def keyset_page(
    queryset: QuerySet, *, key: str, after: int | None = None, before: int | None = None, size: int = 50
) -> KeysetPage:
    """Seek to a page by an indexed integer ``key``, so page 20,000 costs what page 1 costs.

    No OFFSET and no COUNT: both grow with the table.
    """
    if before is not None:
        rows = list(queryset.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            items=rows,
            next_after=getattr(rows[-1], key) if rows else None,
            previous_before=getattr(rows[0], key) if more_before else None,
        )
    if after is not None:
        queryset = queryset.filter(**{f"{key}__gt": after})
    rows = list(queryset.order_by(key)[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        items=rows,
        next_after=getattr(rows[-1], key) if more_after else None,
        previous_before=getattr(rows[0], key) if after is not None and rows else None,
    )


def cursor_param(request: HttpRequest, name: str) -> int | None:
    """A page cursor from the query string: an id of at most 18 ASCII digits; anything else means none.

    (``str.isdigit`` is not enough: "²" is a digit to it, and 20 digits overflow the database.)
    """
    value = request.GET.get(name, "")
    return int(value) if re.fullmatch(ID_PATTERN, value) else None
