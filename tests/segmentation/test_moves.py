"""Who moved between two runs: the page with its heat table, the customers behind a cell and their
export, editing a segment, the customer's history panel, the API and the compare_runs command."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer
from segmentation.models import Persona
from tests.factories import UserFactory, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_three(blob_customers):
    """Two runs on the four blobs; between them three high-income, low-spending customers started
    spending. Returns (first run, second run, the three customers)."""
    first = run_now(k=4)
    changed = list(Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).order_by("pk")[:3])
    Customer.objects.filter(pk__in=[customer.pk for customer in changed]).update(spending_score=81)
    return first, run_now(k=4), changed


def thrifty_and_lavish(first, second):
    thrifty = next(
        s for s in first.segments.all() if s.centroid["spending_score"] < 50 < s.centroid["annual_income"]
    )
    lavish = next(
        s for s in second.segments.all() if s.centroid["spending_score"] > 50 < s.centroid["annual_income"]
    )
    return thrifty, lavish


def test_the_moves_page_shows_the_lineage_and_links_every_moved_cell(moved_three, marketing_client):
    first, second, _ = moved_three
    thrifty, lavish = thrifty_and_lavish(first, second)

    response = marketing_client.get(reverse("segmentation:run-moves", args=[second.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Who moved: run {first.pk} → run {second.pk}" in page
    assert "of its members kept" in page and "80%" in page
    assert reverse("segmentation:moved-customers", args=[thrifty.pk, lavish.pk]) in page


def test_a_cell_lists_exactly_the_customers_who_made_that_move_and_exports_them(
    moved_three, marketing_client
):
    first, second, changed = moved_three
    thrifty, lavish = thrifty_and_lavish(first, second)

    page = marketing_client.get(reverse("segmentation:moved-customers", args=[thrifty.pk, lavish.pk]))
    export = marketing_client.get(
        reverse("segmentation:moved-customers-export", args=[thrifty.pk, lavish.pk])
    )

    assert page.status_code == 200
    for customer in changed:
        assert customer.external_id in page.content.decode()
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row["customer_id"] for row in rows] == [customer.external_id for customer in changed]
    assert {(row["from_segment"], row["to_segment"]) for row in rows} == {(thrifty.name, lavish.name)}


def test_a_cell_within_one_run_is_not_found(moved_three, marketing_client):
    first, _, _ = moved_three
    one, other = list(first.segments.all())[:2]
    assert (
        marketing_client.get(reverse("segmentation:moved-customers", args=[one.pk, other.pk])).status_code
        == 404
    )


def test_a_first_run_has_no_moves_and_a_bad_choice_says_why(blob_customers, marketing_client):
    run = run_now(k=4)
    first_page = marketing_client.get(reverse("segmentation:run-moves", args=[run.pk]))
    itself = marketing_client.get(reverse("segmentation:run-moves", args=[run.pk]), {"from": run.pk})
    missing = marketing_client.get(reverse("segmentation:run-moves", args=[run.pk]), {"from": "99999"})

    assert "was the first segmentation" in first_page.content.decode()
    assert itself.status_code == 400 and "two different runs" in itself.content.decode()
    assert missing.status_code == 400 and "There is no run 99999" in missing.content.decode()


def test_marketing_edits_a_segment_and_the_rerun_keeps_the_edit(blob_customers, marketing_client):
    first = run_now(k=4)
    segment = first.segments.first()
    persona = Persona.objects.get(name="Premium Shoppers")
    url = reverse("segmentation:segment-edit", args=[segment.pk])

    refused = marketing_client.post(url, {"name": "", "persona": persona.pk, "note": "x"})
    saved = marketing_client.post(
        url, {"name": "Our regulars", "persona": persona.pk, "note": "Know them <b>"}
    )

    assert refused.status_code == 400
    assert saved.status_code == 302
    successor = run_now(k=4).segments.get(continues=segment)
    detail = marketing_client.get(reverse("segmentation:segment", args=[successor.pk])).content.decode()
    assert "Our regulars" in detail and "Know them &lt;b&gt;" in detail and "Edited by marketing" in detail


def test_editing_needs_the_permission(blob_customers, client):
    segment = run_now(k=4).segments.first()
    client.force_login(UserFactory())
    response = client.post(reverse("segmentation:segment-edit", args=[segment.pk]), {"name": "Mine"})
    assert response.status_code == 403


def test_the_customer_page_shows_the_segment_history(moved_three, marketing_client):
    _, second, changed = moved_three
    page = marketing_client.get(changed[0].get_absolute_url()).content.decode()
    assert "Segment over time" in page and "Moved" in page and f"Run {second.pk}" in page


def test_the_api_gives_the_identity_mapping_and_the_matrix(moved_three, marketing_api):
    first, second, _ = moved_three
    thrifty, lavish = thrifty_and_lavish(first, second)

    body = marketing_api.get(f"/api/v1/runs/{second.pk}/compare/", {"with": first.pk}).json()

    assert (body["run"], body["other_run"], body["shared_customers"], body["moved_customers"]) == (
        second.pk,
        first.pk,
        60,
        3,
    )
    continued = {segment["continues"]["id"]: segment for segment in body["segments"]}
    assert set(continued) == set(first.segments.values_list("pk", flat=True))
    assert continued[thrifty.pk]["kept_share"] == pytest.approx(0.8)
    matrix = body["matrix"]
    row, column = matrix["rows"].index(thrifty.pk), matrix["columns"].index(lavish.pk)
    assert matrix["counts"][row][column] == 3
    assert matrix["shares"][row][column] == pytest.approx(0.2)
    assert body["vanished"] == []


def test_the_api_refuses_a_bad_other_run(moved_three, marketing_api):
    _, second, _ = moved_three
    url = f"/api/v1/runs/{second.pk}/compare/"
    missing, not_a_number, unknown, itself = (
        marketing_api.get(url),
        marketing_api.get(url, {"with": "three"}),
        marketing_api.get(url, {"with": 2**62}),
        marketing_api.get(url, {"with": second.pk}),
    )
    assert (missing.status_code, missing.json()["errors"][0]["code"]) == (400, "required")
    assert (not_a_number.status_code, not_a_number.json()["errors"][0]["code"]) == (400, "invalid")
    assert unknown.status_code == 422 and itself.status_code == 422


def test_the_command_prints_the_same_as_the_api(moved_three, marketing_api):
    first, second, _ = moved_three
    out = io.StringIO()
    call_command("compare_runs", str(first.pk), str(second.pk), "--json", stdout=out)
    api = marketing_api.get(f"/api/v1/runs/{second.pk}/compare/", {"with": first.pk}).json()
    assert json.loads(out.getvalue()) == api

    text = io.StringIO()
    call_command("compare_runs", str(first.pk), str(second.pk), stdout=text)
    assert "3 of 60 customers moved" in text.getvalue()
