"""Placing customers added after a run, and those an activated older run never saw
(segmentation.services.placement)."""

import pytest

from segmentation.models import Assignment
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.services.runs import segmentation_run_activate
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


def test_customers_added_after_the_run_get_stored_placed_assignments(blob_customers):
    run = run_now()
    newcomers = [CustomerFactory(annual_income=21, spending_score=21), CustomerFactory(annual_income=99)]

    assert segmentation_place_new_customers() == 2
    assert segmentation_place_new_customers() == 0

    placed = Assignment.objects.filter(run=run, placed=True)
    assert sorted(placed.values_list("customer_id", flat=True)) == sorted(c.pk for c in newcomers)


def test_activating_an_older_run_places_customers_it_never_saw(blob_customers):
    older = run_now(k=4)
    run_now(k=3)
    CustomerFactory()

    segmentation_run_activate(run=older)

    assert Assignment.objects.filter(run=older, placed=True).count() == 1
