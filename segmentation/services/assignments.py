"""Writing assignments in bulk: a run writes millions at once, so they go through COPY, not the ORM."""

import numpy as np

from core.bulk import insert_columns
from customers.book_lock import still_in_book
from segmentation.models import Assignment, SegmentationRun
from segmentation.selectors.overlap import Members


def assignments_insert(
    *,
    run: SegmentationRun,
    customer_ids: np.ndarray,
    segment_ids: np.ndarray,
    distances: np.ndarray,
    placed: bool,
    probabilities: np.ndarray | None = None,
) -> Members:
    """Insert one assignment per customer still in the book: the segment row id, the distance to
    its centroid and, for a Gaussian mixture, the probability of that segment.

    Assignments carry no foreign-key constraint (see ``Assignment``): customers deleted while the
    run computed are left out, and no more can be deleted until the run commits
    (``customers.book_lock``). Call it in the transaction that stores the run. Returns the members
    written: each customer kept, with their segment.
    """
    kept = still_in_book(customer_ids)
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
    return Members(customer_ids=columns["customer_id"][1], segment_ids=columns["segment_id"][1])
