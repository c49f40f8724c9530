"""Customers in two runs counted by their segment in each: what comparing runs, matching segment
identities and following customers from run to run all start from."""

from dataclasses import dataclass

import numpy as np
from django.db import connection

from core.bulk import read_columns
from segmentation import engine_adapter
from segmentation.models import Assignment, Segment, SegmentationRun


def segment_overlap(*, first: SegmentationRun, second: SegmentationRun) -> dict[tuple[int, int], int]:
    """(first run's segment id, second run's segment id) -> customers in both, counted in SQL: the
    caller reads a few dozen rows, never a million assignments."""
    table = Assignment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.segment_id, b.segment_id, COUNT(*) FROM {table} AS a "
            f"JOIN {table} AS b ON b.customer_id = a.customer_id AND b.run_id = %s "
            "WHERE a.run_id = %s GROUP BY a.segment_id, b.segment_id",
            [second.pk, first.pk],
        )
        return {(source, target): count for source, target, count in cursor.fetchall()}


@dataclass(frozen=True)
class Members:
    """A run's customers (ids) and the segment (row id) of each, position by position."""

    customer_ids: np.ndarray
    segment_ids: np.ndarray


def segment_overlap_with(*, first: SegmentationRun, second: Members) -> dict[tuple[int, int], int]:
    """As ``segment_overlap``, for a second run whose members are in hand (a run being saved): the
    first run's members are read in one query and the pairs counted here. The join in SQL would
    need statistics on rows the saving transaction has just written (an ANALYZE of its own).
    Read in no particular order: matching the ids sorts them anyway, and sorting a million rows
    in the database made the read four times slower."""
    earlier = read_columns(
        query=(
            f"SELECT customer_id, segment_id FROM {Assignment._meta.db_table} WHERE run_id = {int(first.pk)}"
        ),
        columns={"customer_id": "bigint", "segment_id": "bigint"},
    )
    _, in_first, in_second = np.intersect1d(
        earlier["customer_id"].to_numpy(), second.customer_ids, assume_unique=True, return_indices=True
    )
    sources, source_of = np.unique(earlier["segment_id"].to_numpy()[in_first], return_inverse=True)
    targets, target_of = np.unique(second.segment_ids[in_second], return_inverse=True)
    counts = np.bincount(source_of * len(targets) + target_of, minlength=len(sources) * len(targets))
    return {
        (int(sources[cell // len(targets)]), int(targets[cell % len(targets)])): int(counts[cell])
        for cell in np.flatnonzero(counts)
    }


def segments_matched(
    *,
    first: SegmentationRun,
    second: SegmentationRun,
    earlier: list[Segment],
    later: list[Segment],
    counted: dict[tuple[int, int], int],
) -> list[engine_adapter.SegmentMatch]:
    """Which of ``earlier`` (the first run's segments, in order) each of ``later`` continues, from
    ``counted`` (``segment_overlap``) and the segments' centres."""
    return engine_adapter.segments_match(
        overlap=[[counted.get((before.pk, after.pk), 0) for after in later] for before in earlier],
        previous=[(segment.is_outliers, segment.centroid_scaled) for segment in earlier],
        new=[(segment.is_outliers, segment.centroid_scaled) for segment in later],
        previous_scaler=first.scaler,
        new_scaler=second.scaler,
    )
