"""Writing rows that point at customers, in bulk, without foreign-key constraints.

Tables written by the million (a run's assignments, a forecast's scores) carry no foreign-key
constraint: one check per row at commit would triple the write. What keeps them pointing at
real customers is this: inside the writing transaction, lock the customer table against
changes and read which customers exist, then write only rows for those.
"""

import numpy as np
from django.db import connection

from core.bulk import read_ids
from customers.models import Customer


def customer_ids_locked() -> np.ndarray:
    """Every customer id, ascending; the customer table stays as read until the transaction ends.

    On PostgreSQL the table is locked in SHARE mode (reads go on; inserts, updates and deletes
    wait); SQLite's IMMEDIATE transactions already hold its one write lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("Call it in the transaction that writes the rows: it holds the customer check.")
    table = Customer._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
    return read_ids(table=table)


def still_in_book(customer_ids: np.ndarray) -> np.ndarray:
    """A mask over ``customer_ids`` (unique): True where the customer still exists (see above)."""
    return np.isin(customer_ids, customer_ids_locked(), assume_unique=True)
