"""Customers in two runs counted by their segment in each: what comparing runs, matching segment
identities and following customers from run to run all start from."""

from django.db import connection

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
