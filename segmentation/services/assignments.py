"""Writing assignments in bulk: a run writes millions at once, so they go through COPY, not the ORM."""

import numpy as np
from django.db import connection

from core.bulk import insert_columns, read_ids
from customers.models import Customer
from segmentation.models import Assignment, SegmentationRun


def assignments_insert(
    *,
    run: SegmentationRun,
    customer_ids: np.ndarray,
    segment_ids: np.ndarray,
    distances: np.ndarray,
    placed: bool,
    probabilities: np.ndarray | None = None,
) -> None:
    """Insert one assignment per customer still in the book: the segment row id, the distance to
    its centroid and, for a Gaussian mixture, the probability of that segment.

    Assignments carry no foreign-key constraint (see ``Assignment``), so this is what keeps them
    pointing at real customers: customers deleted while the run computed are left out. Call it
    in a transaction: on PostgreSQL the customer table is then locked against changes until it
    commits (SHARE mode: reads go on), so no customer is deleted between the check and the
    commit; SQLite's IMMEDIATE transactions already hold its one write lock.
    """
    kept = np.isin(customer_ids, _customer_ids_locked(), assume_unique=True)
    columns = {
        "run_id": ("bigint", run.pk),
        "customer_id": ("bigint", customer_ids[kept]),
        "segment_id": ("bigint", segment_ids[kept]),
        "distance": ("double", distances[kept]),
        "placed": ("boolean", placed),
    }
    if probabilities is not None:
        columns["probability"] = ("double", probabilities[kept])
    insert_columns(table=Assignment._meta.db_table, rows=int(kept.sum()), columns=columns)


def _customer_ids_locked() -> np.ndarray:
    if not connection.in_atomic_block:
        raise RuntimeError("Assignments are written inside a transaction, which holds the customer check.")
    table = Customer._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
    return read_ids(table=table)
