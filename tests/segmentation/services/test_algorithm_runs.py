"""Runs with every algorithm as users meet them: outliers kept apart (shown, counted, exportable,
never a persona), a Gaussian mixture's uncertain customers marked and filterable, a hierarchical
run's dendrogram, and the algorithm chosen in the form, the API and the command."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer
from segmentation.models import Assignment, SegmentationRun
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
STRAYS = [(140, 1), (15, 100), (140, 100)]


@pytest.fixture
def groups_and_strays(db):
    """Three tight groups of 40 customers, and three strays far from all of them."""
    for income, spending in [(30, 20), (30, 80), (100, 50)]:
        for offset in range(40):
            CustomerFactory(annual_income=income + offset % 7, spending_score=spending + offset // 7)
    for income, spending in STRAYS:
        CustomerFactory(annual_income=income, spending_score=spending)


def strays() -> list[Customer]:
    return [
        Customer.objects.get(annual_income=income, spending_score=spending) for income, spending in STRAYS
    ]


def test_a_dbscan_run_keeps_its_outliers_apart(groups_and_strays):
    run = run_now(algorithm="dbscan")

    outliers = run.segments.get(is_outliers=True)
    assert run.k == 3 and run.segments.count() == 4
    assert outliers.name == "Outliers" and outliers.persona is None and outliers.size == 3
    assert {assignment.customer for assignment in Assignment.objects.filter(segment=outliers)} == set(
        strays()
    )
    assert run.fit_details["outliers"] == 3 and run.fit_details["algorithm"]["eps_chosen_by"]


def test_outliers_are_shown_exportable_and_never_offered_campaigns(groups_and_strays, marketing_client):
    run = run_now(algorithm="dbscan")
    outliers = run.segments.get(is_outliers=True)

    dashboard = marketing_client.get(reverse("segmentation:dashboard")).content.decode()
    export = marketing_client.get(reverse("segmentation:segment-export", args=[outliers.pk]))
    stray_page = marketing_client.get(strays()[0].get_absolute_url()).content.decode()

    assert (
        "never given a persona&#x27;s campaigns" in dashboard
        or "never given a persona's campaigns" in dashboard
    )
    assert len(b"".join(export.streaming_content).decode().strip().splitlines()) == 1 + 3
    assert "kept apart as an outlier" in stray_page and "Offer " not in stray_page


def test_a_new_customer_is_placed_in_a_segment_never_among_the_outliers(groups_and_strays, marketing_api):
    run_now(algorithm="dbscan")

    answer = marketing_api.post(
        "/api/v1/predict/", {"annual_income": 140, "spending_score": 1}, format="json"
    )

    assert answer.status_code == 200 and answer.json()["segment"]["name"] != "Outliers"


def test_a_gaussian_mixture_marks_and_filters_uncertain_customers(
    groups_and_strays, marketing_client, marketing_api
):
    between = CustomerFactory(annual_income=65, spending_score=35)  # halfway between two groups
    run = run_now(algorithm="gmm", k=3)
    assignment = Assignment.objects.get(run=run, customer=between)
    assignment.probability = 0.55  # pin it: the mixture's own figure for a midpoint varies with the data
    assignment.save()

    page = marketing_client.get(between.get_absolute_url()).content.decode()
    segment_page = marketing_client.get(
        reverse("segmentation:segment", args=[assignment.segment_id]), {"uncertain": 1}
    )
    listed = marketing_api.get("/api/v1/customers/", {"uncertain": "true"}).json()["results"]

    assert Assignment.objects.filter(run=run, probability__isnull=False).count() == Customer.objects.count()
    assert "55% likely to belong" in page and ">Uncertain</span>" in page
    assert list(segment_page.context["members"].items) == [assignment]
    assert [customer["id"] for customer in listed] == [between.pk]
    for not_a_boolean in ("null", "", "2"):
        assert marketing_api.get("/api/v1/customers/", {"uncertain": not_a_boolean}).status_code == 400


def test_a_hierarchical_run_draws_its_dendrogram(groups_and_strays, marketing_client):
    run = run_now(algorithm="hierarchical", k=3)

    page = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()

    assert run.fit_details["dendrogram"]["heights"]
    assert "How the segments merge (dendrogram)" in page and "dendrogram-cut" in page


def test_the_api_starts_a_run_with_an_algorithm_and_its_settings(groups_and_strays, marketing_api):
    started = marketing_api.post(
        "/api/v1/runs/",
        {"features": ["annual_income", "spending_score"], "algorithm": "dbscan", "eps": 0.4},
        format="json",
    )
    with_k = marketing_api.post(
        "/api/v1/runs/", {"features": ["age"], "algorithm": "hdbscan", "k": 3}, format="json"
    )
    wrong_setting = marketing_api.post(
        "/api/v1/runs/", {"features": ["age"], "min_cluster_size": 5}, format="json"
    )

    assert started.status_code == 202
    assert started.json()["algorithm"] == "dbscan" and started.json()["algorithm_parameters"] == {"eps": 0.4}
    assert (
        with_k.status_code == 422
        and "HDBSCAN finds the number of segments itself" in with_k.json()["errors"][0]["detail"]
    )
    assert (
        wrong_setting.status_code == 422
        and "K-Means does not use min cluster size" in wrong_setting.json()["errors"][0]["detail"]
    )


def test_the_run_form_starts_a_run_with_an_algorithm(groups_and_strays, marketing_client):
    response = marketing_client.post(
        reverse("segmentation:runs"),
        {
            "features": ["annual_income", "spending_score"],
            "algorithm": "hdbscan",
            "min_cluster_size": 10,
            "k_mode": "auto",
            "scaling": "standard",
            "seed": 42,
        },
    )

    assert response.status_code == 302
    run = SegmentationRun.objects.latest("pk")
    assert (run.algorithm, run.algorithm_parameters) == ("hdbscan", {"min_cluster_size": 10})


def test_the_command_runs_any_algorithm(groups_and_strays, capsys):
    call_command("segment", "--algorithm", "hdbscan", "--min-cluster-size", "10", "--sync", "--json")

    outcome = json.loads(capsys.readouterr().out)
    assert outcome["algorithm"] == "hdbscan" and outcome["status"] == "succeeded"
    assert outcome["fit_details"]["outliers"] == sum(
        segment["size"] for segment in outcome["segments"] if segment["is_outliers"]
    )
