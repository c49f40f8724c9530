"""On PostgreSQL each run's assignments are a partition of their own (segmentation.assignment_partitions):
written with the run, reached through the one assignment table, dropped with the run."""

import pytest
from django.core.management import call_command
from django.db import connection

from customers.models import Customer
from customers.services import customer_create
from segmentation.assignment_partitions import TABLE, run_partition
from segmentation.models import Assignment
from segmentation.services.placement import segmentation_place_new_customers
from tests.factories import run_now

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's"),
]


def partitions() -> dict[str, int]:
    """Each partition of the assignment table, with the rows it holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent WHERE parent.relname = %s",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {name}")
            counts[name] = cursor.fetchone()[0]
    return counts


def test_a_run_writes_its_assignments_into_a_partition_of_its_own(blob_customers):
    first, second = run_now(k=4), run_now(k=4)

    customers = Customer.objects.count()
    assert partitions() == {run_partition(first.pk): customers, run_partition(second.pk): customers}
    assert Assignment.objects.filter(run=second).count() == customers


def test_placed_customers_join_their_runs_partition(blob_customers):
    run = run_now(k=4)
    customer_create(external_id="NEW-1", gender="female", age=30, annual_income=101, spending_score=20)

    assert segmentation_place_new_customers(run=run) == 1
    assert partitions() == {run_partition(run.pk): Customer.objects.count()}
    assert Assignment.objects.get(run=run, customer__external_id="NEW-1").placed


def test_deleting_a_run_drops_its_partition_and_no_other(blob_customers):
    first, second = run_now(k=4), run_now(k=4)

    first.delete()

    assert list(partitions()) == [run_partition(second.pk)]
    assert Assignment.objects.count() == Customer.objects.count()


def test_the_migration_moves_each_runs_rows_into_its_partition_and_back(blob_customers):
    first, second = run_now(k=4), run_now(k=4)

    call_command("migrate", "segmentation", "0017", verbosity=0)
    assert partitions() == {}
    assert Assignment.objects.count() == 2 * Customer.objects.count()

    call_command("migrate", "segmentation", verbosity=0)
    customers = Customer.objects.count()
    assert partitions() == {run_partition(first.pk): customers, run_partition(second.pk): customers}
