"""Assignments have one index, the key (run, customer): deleting customers still removes their
assignments in every run, and finds them through that key rather than by reading every run."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer
from customers.services import customer_delete
from segmentation.models import Assignment
from tests.factories import run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_runs(blob_customers):
    return run_now(k=4), run_now(k=4)


def test_deleting_a_customer_removes_its_assignments_in_every_run_and_no_others(two_runs):
    first, second = two_runs
    customer = Customer.objects.order_by("pk").first()
    before = Assignment.objects.count()

    customer_delete(customer=customer)

    assert not Assignment.objects.filter(customer_id=customer.pk).exists()
    assert Assignment.objects.count() == before - 2
    assert first.assignments.count() == second.assignments.count() == Customer.objects.count()


def test_deleting_customers_in_bulk_looks_their_assignments_up_by_run(two_runs):
    first, second = two_runs
    doomed = list(Customer.objects.order_by("pk").values_list("pk", flat=True)[:3])

    with CaptureQueriesContext(connection) as queries:
        Customer.objects.filter(pk__in=doomed).delete()

    deletes = [q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "segmentation_assignment"')]
    assert len(deletes) == 1
    assert '"run_id" IN' in deletes[0] and '"customer_id" IN' in deletes[0]
    assert not Assignment.objects.filter(customer_id__in=doomed).exists()
    assert first.assignments.count() == Customer.objects.count()


def test_a_customer_in_no_run_is_deleted_without_touching_assignments(blob_customers):
    customer = Customer.objects.order_by("pk").first()

    customer_delete(customer=customer)

    assert not Customer.objects.filter(pk=customer.pk).exists()


def test_a_customers_assignments_are_read_through_the_key(two_runs):
    first, second = two_runs
    customer = Customer.objects.order_by("pk").first()

    assignments = Assignment.objects.of_customer(customer)

    assert {a.run_id for a in assignments} == {first.pk, second.pk}
    assert '"run_id" IN' in str(assignments.query)
