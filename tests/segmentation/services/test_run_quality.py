"""A run's trustworthiness as users meet it: stored with the run, on the dashboard and the run page,
in the API and the command, and in every reason a campaign is recommended for."""

import json

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer
from segmentation.models import Assignment, PersonaCampaign
from segmentation.services.playbook import campaign_create, persona_create
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def evenly_spread(db):
    """600 customers with income and spending spread evenly: no natural groups."""
    rng = np.random.default_rng(3)
    Customer.objects.bulk_create(
        CustomerFactory.build(annual_income=int(income), spending_score=int(spending))
        for income, spending in zip(rng.integers(15, 141, 600), rng.integers(1, 101, 600), strict=True)
    )


@pytest.fixture
def four_groups(db):
    """Four tight groups of 50 customers and 3 loners far from all."""
    for income, spending in [(20, 20), (20, 80), (120, 20), (120, 80)]:
        for offset in range(50):
            CustomerFactory(annual_income=income + offset % 5, spending_score=spending + offset % 7)
    for offset in range(3):
        CustomerFactory(annual_income=75 + offset, spending_score=50)


def test_the_run_stores_its_quality_and_warnings(evenly_spread):
    run = run_now(k=4)

    assert [warning["code"] for warning in run.warnings] == ["weak_structure"]
    assert run.quality["tendency"]["has_structure"] is False
    assert set(run.quality["metrics"]) >= {"silhouette", "davies_bouldin", "calinski_harabasz"}
    assert run.quality["readings"]["silhouette"]
    assert 0 <= run.quality["stability"]["overall_ari"] <= 1
    assert all(0 <= segment.stability <= 1 for segment in run.segments.all())
    assert not run.has_structure


def test_the_dashboard_says_plainly_that_the_segments_are_bands(evenly_spread, marketing_client):
    run_now(k=4)

    page = marketing_client.get(reverse("segmentation:dashboard")).content.decode()

    assert "Can you trust these segments?" in page
    assert "No natural groups" in page and "slices of a continuum" in page
    assert page.count(">Band</span>") == 4


def test_a_tiny_segment_is_flagged_on_the_run_page_and_in_the_api(
    four_groups, marketing_client, marketing_api
):
    run = run_now(k=5)

    page = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()
    api_run = marketing_api.get(f"/api/v1/runs/{run.pk}/").json()
    segments = marketing_api.get("/api/v1/segments/", {"run": run.pk}).json()

    assert [warning["code"] for warning in api_run["warnings"]] == ["tiny_segment"]
    assert "holds only 3 customers" in api_run["warnings"][0]["message"]
    assert api_run["quality"]["tendency"]["has_structure"] is True
    assert [segment["cautions"] for segment in segments].count(["tiny_segment"]) == 1
    assert ">Tiny</span>" in page and "No natural groups" not in page


def test_a_reason_never_hides_a_tiny_segment(four_groups, marketing_client):
    run = run_now(k=5)
    loner = Assignment.objects.select_related("segment__persona").get(run=run, customer__annual_income=75)

    page = marketing_client.get(loner.customer.get_absolute_url()).content.decode()

    assert loner.segment.persona is not None and f"one of the {loner.segment.persona.name}" in page
    assert "Caution: the segment is tiny (3 customers)" in page


def test_a_reason_speaks_of_a_band_when_there_are_no_natural_groups(evenly_spread, marketing_client):
    rich = persona_create(name="Big Earners", description="High income.", rule={"annual_income": "high"})
    offer = campaign_create(
        title="Valet parking", channel="app", offer="Valet.", rationale="They can afford it."
    )
    PersonaCampaign.objects.create(persona=rich, campaign=offer, position=1)
    run = run_now(k=3)
    earner = Assignment.objects.filter(run=run, segment__persona=rich).first().customer

    page = marketing_client.get(earner.get_absolute_url()).content.decode()

    assert "in the Big Earners band" in page


def test_the_command_prints_and_returns_the_quality_and_warnings(evenly_spread, capsys):
    call_command("segment", "--k", "4", "--sync", "--json")
    outcome = json.loads(capsys.readouterr().out)
    call_command("segment", "--k", "4", "--sync")
    printed = capsys.readouterr().out

    assert outcome["algorithm"] == "kmeans"
    assert [warning["code"] for warning in outcome["warnings"]] == ["weak_structure"]
    assert {"tendency", "metrics", "readings", "stability"} <= set(outcome["quality"])
    assert all("stability" in segment and "cautions" in segment for segment in outcome["segments"])
    assert "Warning (weak_structure): These customers do not form natural groups" in printed
