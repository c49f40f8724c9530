"""Segments over time (selectors.evolution and its page): sizes by identity across the successive
active runs, with each run's quality, and who activated each."""

import pytest
from django.urls import reverse

from customers.models import Customer
from segmentation.models import RunActivation
from segmentation.selectors.evolution import NO_USER, segments_evolution
from segmentation.services.runs import segmentation_run_activate
from tests.factories import run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_active_runs(blob_customers, marketing_user):
    """Run 1 (active on its own), run 2 after three careful high earners started spending,
    activated by marketing, then run 1 again."""
    first = run_now(k=4)
    careful = Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).order_by("pk")[:3]
    Customer.objects.filter(pk__in=[customer.pk for customer in careful]).update(spending_score=81)
    second = run_now(k=4)
    segmentation_run_activate(run=second, activated_by=marketing_user)
    segmentation_run_activate(run=first, activated_by=marketing_user)
    return first, second


def test_each_segment_is_one_line_across_the_active_runs(three_active_runs):
    first, second = three_active_runs
    evolution = segments_evolution()

    assert [step.run for step in evolution.runs] == [first, second, first]
    assert [step.activated_by for step in evolution.runs] == [NO_USER, "by marketing", "by marketing"]
    assert len(evolution.series) == 4
    sizes = sorted(line.sizes for line in evolution.series)
    assert sizes == [[15, 12, 15], [15, 15, 15], [15, 15, 15], [15, 18, 15]]  # three moved, and back


def test_activating_the_active_run_again_records_nothing(three_active_runs):
    first, _ = three_active_runs
    before = RunActivation.objects.count()
    segmentation_run_activate(run=first)
    assert RunActivation.objects.count() == before


def test_a_segment_new_in_a_run_has_no_size_before_it(blob_customers):
    run_now(k=4)
    second = run_now(k=5)  # one blob split: a new identity from run 2 on
    segmentation_run_activate(run=second)

    new_lines = [line for line in segments_evolution().series if line.sizes[0] is None]
    assert len(new_lines) == 1 and new_lines[0].sizes[1] > 0


def test_the_page_shows_the_sizes_and_each_runs_quality(three_active_runs, marketing_client):
    first, second = three_active_runs
    response = marketing_client.get(reverse("segmentation:evolution"))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Each active run&#x27;s quality" in page or "Each active run's quality" in page
    assert page.count(f'href="/runs/{second.pk}/moves/"') == 1
    assert f'"labels": ["Run {first.pk}' in page


def test_the_page_before_any_active_run_says_what_it_will_show(marketing_client):
    page = marketing_client.get(reverse("segmentation:evolution")).content.decode()
    assert "No run has been active yet" in page
