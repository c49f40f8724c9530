"""Writing assignments in bulk: a run writes millions at once, so they go through COPY, not the ORM."""

import numpy as np

from core.bulk import insert_columns
from customers.book_lock import still_in_book
from segmentation.assignment_partitions import run_partition_loading
from segmentation.models import Assignment, SegmentationRun
from segmentation.selectors.overlap import Members


def run_assignments_write(
    *,
    run: SegmentationRun,
    customer_ids: np.ndarray,
    segment_ids: np.ndarray,
    distances: np.ndarray,
    probabilities: np.ndarray | None = None,
    deletions_before_read: int | None = None,
) -> Members:
    """Write the run's own assignments, one per customer still in the book: the segment row id,
    the distance to its centroid and, for a Gaussian mixture, the probability of that segment.
    On PostgreSQL they make up the run's partition of the table (``assignment_partitions``).

    Assignments carry no foreign-key constraint (see ``Assignment``): customers deleted while the
    run computed are left out, and no more can be deleted until the run commits
    (``customers.book_lock``; ``deletions_before_read`` is its count noted before the customers
    were read). Call it once, in the transaction that stores the run. Returns the
    members written: each customer kept, with their segment.
    """
    kept = still_in_book(customer_ids, deletions_before_read=deletions_before_read)
    rows, columns = _columns(
        run, kept, customer_ids, segment_ids, distances, placed=False, probabilities=probabilities
    )
    with run_partition_loading(run.pk) as table:
        insert_columns(table=table, rows=rows, columns=columns)
    return Members(customer_ids=columns["customer_id"][1], segment_ids=columns["segment_id"][1])


def placed_assignments_insert(
    *, run: SegmentationRun, customer_ids: np.ndarray, segment_ids: np.ndarray, distances: np.ndarray
) -> None:
    """Add assignments, marked placed, to a stored run for customers still in the book (see above)."""
    kept = still_in_book(customer_ids)
    rows, columns = _columns(run, kept, customer_ids, segment_ids, distances, placed=True, probabilities=None)
    insert_columns(table=Assignment._meta.db_table, rows=rows, columns=columns)


def _columns(
    run: SegmentationRun,
    kept: np.ndarray,
    customer_ids: np.ndarray,
    segment_ids: np.ndarray,
    distances: np.ndarray,
    *,
    placed: bool,
    probabilities: np.ndarray | None,
) -> tuple[int, dict]:
    """The assignments' columns for the ``kept`` customers, and how many rows they hold."""
    columns = {
        "run_id": ("bigint", run.pk),
        "customer_id": ("bigint", customer_ids[kept]),
        "segment_id": ("bigint", segment_ids[kept]),
        "distance": ("double", distances[kept]),
        "placed": ("boolean", placed),
    }
    if probabilities is not None:
        columns["probability"] = ("double", probabilities[kept])
    return int(kept.sum()), columns
