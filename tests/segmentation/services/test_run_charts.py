"""What a run's scatter draws: the features themselves on two features, the principal plane on more."""

import pytest

from segmentation.selectors.runs import run_chart_data
from segmentation.selectors.segments import run_segments
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(db):
    CustomerFactory.create_batch(120)


def test_a_run_on_three_features_opens_on_its_principal_plane(customers):
    run = run_now(features=["annual_income", "spending_score", "age"], k=3)

    chart = run_chart_data(run=run, segments=run_segments(run=run))

    assert chart["features"][:2] == ["projection_1", "projection_2"]
    assert chart["labels"]["projection_1"].startswith("Axis 1 (")
    assert {"projection_1", "projection_2"} <= set(run.scatter_sample["columns"])
    assert all(
        {"projection_1", "projection_2", "age"} <= set(segment["centroid"]) for segment in chart["segments"]
    )


def test_a_run_on_two_features_draws_them_as_they_are(customers):
    run = run_now(k=3)

    chart = run_chart_data(run=run, segments=run_segments(run=run))

    assert chart["features"] == ["annual_income", "spending_score"]
    assert run.scatter_sample["projection"] is None
