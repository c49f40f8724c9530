"""Read-side queries of the customer book."""

from dataclasses import dataclass

from customers.models import Customer, CustomerQuerySet


@dataclass(frozen=True)
class KeysetPage:
    """One page of customers in ID order, with the cursors of its neighbours (None: no page)."""

    customers: list[Customer]
    next_after: int | None
    previous_before: int | None


def customers_page(
    *, customers: CustomerQuerySet, after: int | None = None, before: int | None = None, size: int = 50
) -> KeysetPage:
    """Seek to a page by primary key, so page 20,000 costs what page 1 costs (no OFFSET, no COUNT)."""
    if before is not None:
        rows = list(customers.filter(pk__lt=before).order_by("-pk")[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            customers=rows,
            next_after=rows[-1].pk if rows else None,
            previous_before=rows[0].pk if more_before else None,
        )
    if after is not None:
        customers = customers.filter(pk__gt=after)
    rows = list(customers.order_by("pk")[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        customers=rows,
        next_after=rows[-1].pk if more_after else None,
        previous_before=rows[0].pk if after is not None and rows else None,
    )
