"""The customers two runs share, counted by segment: from two stored runs in SQL, or with the second
run's members in hand (a run being saved) in numpy. Both count the same."""

import numpy as np
import pytest

from customers.models import Customer
from segmentation.models import Assignment
from segmentation.selectors.overlap import Members, segment_overlap, segment_overlap_with
from tests.factories import run_now

pytestmark = pytest.mark.django_db


def members_of(run, *, leave_out: int = 0) -> Members:
    rows = list(Assignment.objects.filter(run=run).order_by("customer_id").values_list("customer", "segment"))
    customer_ids, segment_ids = np.array(rows[leave_out:], dtype=np.int64).T
    return Members(customer_ids=customer_ids, segment_ids=segment_ids)


def test_members_in_hand_count_as_the_stored_runs_do(blob_customers):
    first = run_now(k=4)
    moved = Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).order_by("pk")[:3]
    Customer.objects.filter(pk__in=[customer.pk for customer in moved]).update(spending_score=81)
    second = run_now(k=4)

    counted = segment_overlap_with(first=first, second=members_of(second))

    assert counted == segment_overlap(first=first, second=second)
    assert sum(counted.values()) == Customer.objects.count()
    assert len(counted) == 5  # four segments kept, and three customers moved between two of them


def test_customers_only_in_one_run_are_not_counted(blob_customers):
    first = run_now(k=4)
    Assignment.objects.filter(run=first, customer__in=Customer.objects.order_by("pk")[:2]).delete()
    second = run_now(k=4)

    counted = segment_overlap_with(first=first, second=members_of(second, leave_out=5))

    assert sum(counted.values()) == Customer.objects.count() - 5


def test_the_count_does_not_depend_on_the_order_of_the_members(blob_customers):
    """The first run's members are read in no particular order; the members in hand may be any."""
    first, second = run_now(k=4), run_now(k=3)
    members = members_of(second)
    order = np.random.default_rng(7).permutation(len(members.customer_ids))
    shuffled = Members(customer_ids=members.customer_ids[order], segment_ids=members.segment_ids[order])

    counted = segment_overlap_with(first=first, second=shuffled)

    assert counted == segment_overlap(first=first, second=second)
