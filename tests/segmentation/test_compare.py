"""Comparing runs on the same customers: agreement counted in SQL, who went where, which to activate."""

import pytest
from django.urls import reverse

from segmentation.selectors.comparison import runs_comparison
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_groups(db):
    for income, spending in [(20, 20), (20, 80), (120, 20), (120, 80)]:
        for offset in range(30):
            CustomerFactory(annual_income=income + offset % 6, spending_score=spending + offset % 5)


def test_two_runs_with_the_same_segments_agree_fully(four_groups):
    first, second = run_now(k=4), run_now(k=4, seed=7)

    comparison = runs_comparison(run_ids=[second.pk, first.pk])

    pair = comparison.pairs[0]
    assert [run.pk for run in comparison.runs] == [first.pk, second.pk]
    assert pair.agreement == pytest.approx(1.0) and pair.shared_customers == 120
    assert sorted(count for row in pair.counts for count in row if count) == [30, 30, 30, 30]
    assert pair.moves == []


def test_merging_two_groups_shows_who_went_where(four_groups):
    four, three = run_now(k=4), run_now(k=3)

    pair = runs_comparison(run_ids=[four.pk, three.pk]).pairs[0]

    assert 0.5 < pair.agreement < 1
    assert sum(map(sum, pair.counts)) == 120
    assert pair.moves and pair.moves[0].customers == 30
    assert pair.moves[0].source.name != pair.moves[0].target.name


def test_the_recommendation_prefers_the_run_without_doubtful_segments(four_groups):
    four, nine = run_now(k=4), run_now(k=9)

    comparison = runs_comparison(run_ids=[four.pk, nine.pk])

    assert nine.segments.exclude(cautions=[]).exists()
    assert comparison.recommended == four
    assert comparison.reason.startswith(f"Activate run {four.pk}: none of its segments is unstable or tiny")


@pytest.mark.parametrize(
    ("others", "message"),
    [
        ([], "Choose from 2 to 4 different runs"),
        (["same"], "Choose from 2 to 4"),
        ([999_999], "No run 999999"),
    ],
)
def test_a_bad_choice_of_runs_is_refused_saying_why(four_groups, marketing_client, others, message):
    run = run_now(k=4)
    chosen = [run.pk, *(run.pk if other == "same" else other for other in others)]

    response = marketing_client.get(reverse("segmentation:runs-compare"), {"runs": chosen})

    assert response.status_code == 400 and message in response.content.decode()


def test_only_succeeded_runs_can_be_compared(four_groups, marketing_client):
    done = run_now(k=4)
    queued = run_now(k=4)
    queued.status = queued.Status.QUEUED
    queued.save()

    response = marketing_client.get(reverse("segmentation:runs-compare"), {"runs": [done.pk, queued.pk]})

    assert response.status_code == 400
    assert (
        f"Only succeeded runs can be compared; run {queued.pk} has no segments." in response.content.decode()
    )


def test_the_compare_page_shows_both_runs_the_table_and_the_recommendation(four_groups, marketing_client):
    four, three = run_now(k=4), run_now(k=3)

    page = marketing_client.get(reverse("segmentation:runs-compare"), {"runs": [four.pk, three.pk]})
    html = page.content.decode()

    assert page.status_code == 200
    assert f"Run {four.pk} and run {three.pk}: who went where" in html
    assert "Recommendation." in html and "Largest moves between differently named segments" in html


def test_the_compare_page_needs_login(client):
    response = client.get(reverse("segmentation:runs-compare"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_api_compares_runs(four_groups, marketing_api):
    four, three = run_now(k=4), run_now(k=3)

    response = marketing_api.get("/api/v1/runs/compare/", {"runs": [four.pk, three.pk]})
    too_few = marketing_api.get("/api/v1/runs/compare/", {"runs": [four.pk]})
    not_numbers = marketing_api.get("/api/v1/runs/compare/", {"runs": ["three"]})

    body = response.json()
    assert response.status_code == 200
    assert [run["id"] for run in body["runs"]] == [four.pk, three.pk]
    assert body["recommended_run"] in (four.pk, three.pk) and body["reason"].startswith("Activate run")
    pair = body["pairs"][0]
    assert (pair["first"], pair["second"], pair["shared_customers"]) == (four.pk, three.pk, 120)
    assert len(pair["counts"]) == 4 and len(pair["counts"][0]) == 3 and pair["rows"] == [0, 1, 2, 3]
    assert pair["moves"][0]["customers"] == 30
    assert body["runs"][0]["segments"][0].keys() == {"number", "name", "size", "stability", "cautions"}
    assert too_few.status_code == 422 and not_numbers.status_code == 400
