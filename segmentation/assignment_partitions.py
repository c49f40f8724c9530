"""The assignment table on PostgreSQL: one partition per run.

A run writes a million assignments at once, and deleting the run takes them all away. So on
PostgreSQL ``segmentation_assignment`` is partitioned by run (LIST on run_id; migration 0018).
A run's assignments are loaded into a table of their own and its key built once the rows are
in (cheaper than keeping a key up to date row by row: 0.9 to 1.2 s against 1.2 to 1.4 s for a
million), then the table is attached as the run's partition; deleting the run drops its
partition rather than deleting its rows one by one. Customers placed later are inserted through
the parent table, which routes them to their run's partition. SQLite keeps one plain table.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from segmentation.models import Assignment

TABLE = Assignment._meta.db_table


def run_partition(run_id: int) -> str:
    return f"{TABLE}_run_{int(run_id)}"


@contextmanager
def run_partition_loading(run_id: int) -> Iterator[str]:
    """The table to load run ``run_id``'s own assignments into: on PostgreSQL a new table,
    keyed and attached as the run's partition when the block ends; elsewhere the assignment table.

    Call it in the transaction that stores the run, so that a failure removes the table with the
    rest. The table's CHECK on run_id spares the attachment a scan of every row to prove that
    they belong in the partition (0.14 s a million). A table already there under the run's name
    is dropped first: it can only be left from a run of the same id deleted without Django (a
    test database emptied by TRUNCATE, its ids reset).
    """
    if connection.vendor != "postgresql":
        yield TABLE
        return
    partition = run_partition(run_id)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {partition}")
        cursor.execute(
            f"CREATE TABLE {partition} (LIKE {TABLE} INCLUDING DEFAULTS, CHECK (run_id = {int(run_id)}))"
        )
    yield partition
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {partition} ADD PRIMARY KEY (run_id, customer_id)")
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {partition} FOR VALUES IN ({int(run_id)})")


def run_partition_drop(sender, instance, **kwargs) -> None:
    """``pre_delete`` of a run: on PostgreSQL, drop its partition with every assignment in it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {run_partition(instance.pk)}")
