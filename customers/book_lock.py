"""Writing rows that point at customers, in bulk, without foreign-key constraints.

Tables written by the million (a run's assignments, a forecast's scores) carry no foreign-key
constraint: one check per row at commit would triple the write. What keeps them pointing at
real customers is this: inside the writing transaction, lock the customer table against
changes and read which customers exist, then write only rows for those.

Reading every id costs about 0.3 s a million, and customers are seldom deleted. So on
PostgreSQL a trigger counts the statements that delete customers (migration 0006), and a writer
that noted the count before reading its customers (`deletions_so_far`) reads the ids only if
the count has moved since. Once the lock is held, every transaction that deleted customers has
ended, so the count is final. A statement that deleted nobody, or was rolled back, moves it
too: the writer then reads every id when it need not have, the safe side to err on.
"""

import numpy as np
from django.db import connection

from core.bulk import read_ids
from customers.models import Customer

DELETIONS_SEQUENCE = "customers_customer_deletions"


def deletions_so_far() -> int | None:
    """How many statements have deleted customers so far: note it before reading the customers
    that rows will point at. None where deletions are not counted (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {DELETIONS_SEQUENCE}")
        return cursor.fetchone()[0]


def still_in_book(customer_ids: np.ndarray, *, deletions_before_read: int | None = None) -> np.ndarray:
    """A mask over ``customer_ids`` (unique): True where the customer still exists (see above).

    ``deletions_before_read`` is ``deletions_so_far()`` as noted before the customers were read;
    without it, or where it has moved, every id is read."""
    _lock_book()
    if deletions_before_read is not None and deletions_so_far() == deletions_before_read:
        return np.ones(len(customer_ids), dtype=bool)
    return np.isin(customer_ids, read_ids(table=Customer._meta.db_table), assume_unique=True)


def _lock_book() -> None:
    """Lock the customer table until the transaction ends. On PostgreSQL in SHARE mode (reads go
    on; inserts, updates and deletes wait); SQLite's IMMEDIATE transactions already hold its one
    write lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("Call it in the transaction that writes the rows: it holds the customer check.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Customer._meta.db_table} IN SHARE MODE")
