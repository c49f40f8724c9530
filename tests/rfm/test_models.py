"""The seeded rule table covers the R × F grid, one segment a cell; rules are checked before they
are stored; the rules place every combination of scores (rfm.placement)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rfm.models import SCORES, RfmSegment
from rfm.selectors import rfm_combinations_without_segment, rfm_placements

pytestmark = pytest.mark.django_db

CLASSIC = [
    "Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
    "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost",
]  # fmt: skip
# The seeded grid, rows R 5 → 1, columns F 1 → 5 (as in rfm/migrations/0002_classic_segments.py).
SEEDED_GRID = [
    ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"],
    ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"],
    ["Promising", "About To Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"],
    ["Hibernating", "Hibernating", "At Risk", "At Risk", "At Risk"],
    ["Lost", "Hibernating", "At Risk", "Can't Lose Them", "Can't Lose Them"],
]


def named(r: int, f: int, m: int) -> str | None:
    names = dict(RfmSegment.objects.values_list("pk", "name"))
    return names.get(rfm_placements().get((r, f, m)))


def test_the_eleven_classic_segments_are_seeded():
    assert sorted(RfmSegment.objects.values_list("name", flat=True)) == sorted(CLASSIC)


def test_every_cell_of_the_grid_gets_exactly_one_segment_whatever_m():
    for r in SCORES:
        for f in SCORES:
            assert len({named(r, f, m) for m in SCORES}) == 1, f"R{r} F{f} depends on M"
    grid = [[named(r, f, 1) for f in SCORES] for r in reversed(SCORES)]

    assert grid == SEEDED_GRID


def test_every_seeded_segment_owns_at_least_one_cell():
    owners = {named(r, f, 3) for r in SCORES for f in SCORES}

    assert owners == set(CLASSIC)


def test_the_first_rule_by_priority_wins_and_m_can_matter():
    RfmSegment.objects.filter(name="Champions").update(monetary_min=4)

    assert named(5, 5, 4) == "Champions"
    assert named(5, 5, 3) == "Loyal Customers"  # the next rule, by priority, that holds for R5 F5
    assert named(4, 4, 1) == "Loyal Customers"


def test_combinations_no_rule_holds_for_are_listed():
    assert rfm_combinations_without_segment() == []

    RfmSegment.objects.filter(name="Lost").delete()
    RfmSegment.objects.filter(name="Hibernating").update(recency_min=2)

    assert rfm_combinations_without_segment() == [(1, 1, m) for m in SCORES]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"recency_min": 0}, "recency_min"),
        ({"frequency_max": 6}, "frequency_max"),
        ({"monetary_min": 4, "monetary_max": 2}, "monetary_max"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_rule_outside_1_to_5_or_ending_before_it_starts_is_refused(change, field):
    segment = RfmSegment(name="Test", priority=999, **change)

    with pytest.raises(ValidationError) as refused:
        segment.full_clean()

    assert field in refused.value.message_dict


def test_the_database_refuses_a_reversed_range_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        RfmSegment.objects.create(name="Test", priority=999, recency_min=4, recency_max=2)


def test_a_rule_reads_in_words():
    assert RfmSegment.objects.get(name="Champions").rule_in_words == "R 4–5 · F 4–5"
    assert RfmSegment.objects.get(name="Lost").rule_in_words == "R 1 · F 1"
    assert RfmSegment(name="All", priority=1).rule_in_words == "any scores"
