"""Campaign lift against hand-worked examples: Newcombe (1998), "Interval estimation for the
difference between independent proportions", example (a): 56/70 against 48/80, difference 0.2,
95% interval 0.0524 to 0.3339 by method 10; and his single-proportion paper's 81/263."""

import pytest

from segmentation.engine.lift import MIN_SENDS, GroupOutcome, lift, wilson_interval


def test_the_wilson_interval_matches_newcombes_table():
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion": 81/263.
    low, high = wilson_interval(81, 263)
    assert (low, high) == (pytest.approx(0.2553, abs=5e-5), pytest.approx(0.3662, abs=5e-5))


def test_lift_matches_the_hand_worked_example():
    treated = GroupOutcome(sends=70, responses=56, revenue=1_400.0)
    control = GroupOutcome(sends=80, responses=48, revenue=960.0)

    result = lift(treated, control)

    assert result.difference == pytest.approx(0.2)
    assert (result.low, result.high) == (pytest.approx(0.0524, abs=5e-5), pytest.approx(0.3339, abs=5e-5))
    assert result.significant and result.enough
    assert (treated.response_rate, treated.revenue_per_send) == (pytest.approx(0.8), 20.0)


def test_a_small_group_shows_a_lift_but_does_not_rank():
    result = lift(GroupOutcome(sends=MIN_SENDS - 1, responses=10, revenue=0.0), GroupOutcome(200, 20, 0.0))
    assert not result.enough


def test_no_difference_is_not_significant_and_the_interval_stays_within_bounds():
    result = lift(
        GroupOutcome(sends=40, responses=40, revenue=0.0), GroupOutcome(sends=40, responses=40, revenue=0.0)
    )
    assert result.difference == 0.0 and not result.significant
    assert -1.0 <= result.low <= result.high <= 1.0
