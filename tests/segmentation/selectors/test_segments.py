"""Segments of a run (the active one unless named), their members and audiences."""

import pytest

from segmentation.models import Assignment
from segmentation.selectors.segments import (
    active_run_segments,
    segment_audience_rows,
    segment_members,
    segments_of_run,
)
from segmentation.services.runs import segmentation_run_activate
from tests.factories import run_now

pytestmark = pytest.mark.django_db


def test_segments_are_the_active_runs_unless_a_run_is_named(blob_customers):
    first = run_now(k=4)
    second = run_now(k=2)

    assert {segment.run_id for segment in segments_of_run()} == {first.pk}
    assert {segment.run_id for segment in segments_of_run(run_id=second.pk)} == {second.pk}

    segmentation_run_activate(run=second)
    assert [segment.number for segment in segments_of_run()] == [0, 1]


def test_without_an_active_run_there_are_no_segments(db):
    assert list(segments_of_run()) == []
    assert active_run_segments() == (None, [])


def test_active_run_segments_are_largest_first_with_their_personas(mall_customers, django_assert_num_queries):
    run = run_now()

    with django_assert_num_queries(3):  # the run, segments with personas, campaign links with campaigns
        active, segments = active_run_segments()
        personas = [segment.persona.name for segment in segments if segment.persona]
        campaigns = [campaign.title for segment in segments if segment.persona
                     for campaign in segment.persona.ordered_campaigns()]  # fmt: skip

    assert active == run
    assert [segment.size for segment in segments] == [81, 39, 35, 23, 22]
    assert "Cautious Spenders" in personas and campaigns


def test_members_and_audience_rows_are_the_segments_customers(blob_customers):
    run = run_now(k=4)
    segment = run.segments.get(number=0)
    expected = set(Assignment.objects.filter(segment=segment).values_list("customer_id", flat=True))

    members = list(segment_members(segment=segment))
    rows = list(segment_audience_rows(segment=segment))

    assert {member.customer_id for member in members} == expected and len(expected) == 15
    assert len(rows) == 15 and all(len(row) == 6 for row in rows)
