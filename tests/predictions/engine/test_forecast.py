"""The predictions engine on synthetic histories with a planted answer: customers whose visits
thin out lapse, and the model ranks them above steady customers; the time split never lets a
feature see past its cut-off; too short a history, or nothing to tell apart, is refused."""

import numpy as np
import pandas as pd
import pytest

from predictions.engine import FEATURES, MIN_AUC, features_as_of, forecast, outcomes_after
from tests.predictions.histories import planted_history

AS_OF = pd.Timestamp("2026-11-01", tz="UTC")
HORIZON = 90


def history(**kwargs) -> pd.DataFrame:
    return planted_history(as_of=AS_OF, **kwargs)


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return history()


def test_thinning_customers_are_ranked_above_steady_ones(planted):
    result = forecast(planted, as_of=AS_OF, horizon_days=HORIZON, seed=0)

    assert result.published, result.reason
    assert result.evaluation.auc > 0.85  # recorded: the planted thinning is what the model finds
    assert result.evaluation.spend_mae < result.evaluation.baseline_mae
    scores = result.scores
    steady_risk = scores.loc[scores.index < 300, "lapse_risk"].mean()
    thinning_risk = scores.loc[scores.index >= 300, "lapse_risk"].mean()
    assert thinning_risk > steady_risk + 0.3
    assert (scores["expected_spend"] >= 0).all()
    assert len(result.evaluation.calibration) >= 5


def test_no_feature_sees_past_its_cutoff(planted):
    cutoff = AS_OF - pd.Timedelta(days=HORIZON)
    future = pd.DataFrame(
        {"customer_id": [0, 1, 999], "purchased_at": [cutoff, AS_OF, AS_OF], "amount": [500.0, 1.0, 9.0]}
    )
    before = features_as_of(planted, cutoff)
    with_future = features_as_of(pd.concat([planted, future], ignore_index=True), cutoff)

    pd.testing.assert_frame_equal(before, with_future)
    assert list(before.columns) == list(FEATURES)


def test_outcomes_count_only_the_window_after_the_cutoff():
    lines = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2],
            "purchased_at": pd.to_datetime(
                ["2026-01-01", "2026-01-05", "2026-04-10", "2025-12-30"], utc=True
            ),
            "amount": [10.0, 5.0, 99.0, 7.0],
        }
    )
    outcomes = outcomes_after(lines, pd.Timestamp("2026-01-01", tz="UTC"), 90, pd.Index([1, 2]))
    assert outcomes.loc[1].tolist() == [False, 15.0]  # the 10 April line is past the 90 days
    assert outcomes.loc[2].tolist() == [True, 0.0]  # bought only before the cut-off


def test_too_short_a_history_is_refused_saying_how_short(planted):
    recent = planted[planted["purchased_at"] >= AS_OF - pd.Timedelta(days=200)]
    result = forecast(recent, as_of=AS_OF, horizon_days=HORIZON)
    assert not result.published and result.scores is None
    assert "The history covers 199 days; 270 are needed" in result.reason  # its first line: day 1


def test_a_history_without_lapses_has_nothing_to_tell_apart():
    result = forecast(history(thinning=0, steady=120), as_of=AS_OF, horizon_days=HORIZON)
    assert not result.published and "bought again" in result.reason


def test_noise_is_not_published():
    rng = np.random.default_rng(5)
    customers, days = 400, 720
    rows = [
        (int(customer), AS_OF - pd.Timedelta(days=float(day)), 20.0)
        for customer in range(customers)
        for day in rng.uniform(0, days, rng.integers(1, 6))
    ]
    lines = pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"])
    result = forecast(lines, as_of=AS_OF, horizon_days=HORIZON)
    assert not result.published
    assert f"below {MIN_AUC}" in result.reason or "does not beat" in result.reason
