"""Customers in two runs counted by their segment in each: what comparing runs, matching segment
identities and following customers from run to run all start from."""

from django.db import connection

from segmentation.models import Assignment, SegmentationRun


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
