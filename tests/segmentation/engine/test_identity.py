import numpy as np
import pytest

from segmentation.engine.identity import MAX_CENTROID_DISTANCE, SegmentsToMatch, match_segments


def segments(centres, outliers=None):
    return SegmentsToMatch(outliers=outliers or [False] * len(centres), centres=centres)


THREE = segments([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])


def test_an_unchanged_rerun_maps_every_segment_to_itself_with_every_member_kept():
    matches = match_segments(overlap=np.diag([120, 50, 30]), previous=THREE, new=THREE)
    assert [(m.new, m.previous, m.by, m.kept_share) for m in matches] == [
        (0, 0, "members", 1.0),
        (1, 1, "members", 1.0),
        (2, 2, "members", 1.0),
    ]


def test_renumbered_segments_are_matched_by_their_members_not_their_numbers():
    # The new run numbers by size: the earlier segment 2 grew into the new largest.
    overlap = [[0, 95, 5], [2, 0, 48], [140, 0, 0]]
    matches = match_segments(overlap=overlap, previous=THREE, new=THREE)
    assert [m.previous for m in matches] == [2, 0, 1]
    assert matches[1].kept_share == pytest.approx(0.95)
    assert matches[2].kept_share == pytest.approx(48 / 50)


def test_a_split_segment_continues_in_its_larger_half_and_the_other_half_is_new():
    previous = segments([[0.0, 0.0], [3.0, 0.0]])
    new = segments([[0.0, -0.2], [3.0, 0.0], [0.0, 0.9]])
    overlap = [[60, 0, 40], [0, 50, 0]]
    matches = match_segments(overlap=overlap, previous=previous, new=new)
    assert [(m.previous, m.by) for m in matches] == [(0, "members"), (1, "members"), (None, None)]
    assert matches[0].kept_share == pytest.approx(0.6)


def test_a_segment_that_vanished_is_continued_by_none():
    previous = segments([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    new = segments([[0.0, 0.0], [3.0, 0.0]])
    overlap = [[100, 0], [0, 50], [15, 15]]  # the third segment's members went both ways
    matches = match_segments(overlap=overlap, previous=previous, new=new)
    assert {m.previous for m in matches} == {0, 1}


def test_members_spread_evenly_are_no_continuation():
    previous = segments([[0.0, 0.0], [3.0, 0.0]])
    new = segments([[9.0, 9.0], [-9.0, -9.0], [9.0, -9.0]])  # far from both: no centroid match either
    overlap = [[30, 30, 30], [30, 30, 30]]  # Jaccard 30 / (90 + 60 - 30) = 0.25 for every pair
    matches = match_segments(overlap=overlap, previous=previous, new=new)
    assert [m.previous for m in matches] == [None, None, None]


def test_segments_of_new_customers_continue_the_nearest_earlier_segment_by_centre():
    previous = segments([[0.0, 0.0], [3.0, 0.0]])
    near = MAX_CENTROID_DISTANCE * 0.8
    new = segments([[0.0, near], [3.0 + MAX_CENTROID_DISTANCE * 2, 0.0]])
    matches = match_segments(overlap=np.zeros((2, 2)), previous=previous, new=new)
    assert [(m.previous, m.by, m.kept_share) for m in matches] == [(0, "centroid", None), (None, None, None)]


def test_outlier_groups_only_continue_outlier_groups():
    previous = segments([[0.0, 0.0], None], outliers=[False, True])
    new = segments([None, [0.0, 0.0]], outliers=[True, False])
    overlap = [[10, 90], [40, 0]]
    matches = match_segments(overlap=overlap, previous=previous, new=new)
    assert [m.previous for m in matches] == [1, 0]
    crossed = match_segments(overlap=[[90, 10], [0, 40]], previous=previous, new=new)
    assert crossed[0].previous != 0 and crossed[1].previous != 1
