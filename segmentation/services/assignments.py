"""Writing assignments in bulk: a run writes millions at once, so they go through COPY, not the ORM."""

import numpy as np
from django.db import connection

from core.bulk import insert_columns
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
    """Insert one assignment per customer: the segment row id, the distance to its centroid and,
    for a Gaussian mixture, the probability of that segment."""
    columns = {
        "run_id": ("bigint", run.pk),
        "customer_id": ("bigint", customer_ids),
        "segment_id": ("bigint", segment_ids),
        "distance": ("double", distances),
        "placed": ("boolean", placed),
    }
    if probabilities is not None:
        columns["probability"] = ("double", probabilities)
    insert_columns(table=Assignment._meta.db_table, rows=len(customer_ids), columns=columns)


def assignments_drop_deleted_customers(*, run: SegmentationRun) -> None:
    """Customers deleted while the run computed lose their assignment (one set-based check).

    Assignments carry no foreign-key constraint (see ``Assignment``), so this is what keeps
    them pointing at real customers; call it in the transaction that wrote them.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Assignment._meta.db_table} AS a WHERE a.run_id = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {Customer._meta.db_table} AS c WHERE c.id = a.customer_id)",
            [run.pk],
        )
