import numpy as np
import pytest

from segmentation.engine.drift import PSI_MODERATE, PSI_SIGNIFICANT, drift_level, population_stability


def percentiles_of(values):
    return np.percentile(values, np.arange(101)).tolist()


def test_the_same_population_has_no_drift():
    values = np.random.default_rng(0).normal(50, 10, 20_000)
    assert population_stability(reference_percentiles=percentiles_of(values), values=values) < 0.001


def test_a_fresh_sample_of_the_same_population_reads_as_no_real_change():
    rng = np.random.default_rng(1)
    then, now = rng.normal(50, 10, 20_000), rng.normal(50, 10, 5_000)
    psi = population_stability(reference_percentiles=percentiles_of(then), values=now)
    assert psi < PSI_MODERATE and drift_level(psi) == "none"


def test_a_shift_of_one_standard_deviation_is_significant():
    rng = np.random.default_rng(2)
    then, now = rng.normal(50, 10, 20_000), rng.normal(60, 10, 20_000)
    psi = population_stability(reference_percentiles=percentiles_of(then), values=now)
    assert psi > PSI_SIGNIFICANT and drift_level(psi) == "significant"


def test_the_index_matches_a_hand_worked_example():
    # Deciles of 0..999 cut at 99.9, 199.8, ...; now half the customers are in the top tenth.
    then = np.arange(1_000.0)
    now = np.concatenate([np.arange(0.0, 900.0, 1.8), np.full(500, 950.0)])  # 500 spread, 500 on top
    shares_now = np.array([0.0556] * 9 + [0.5])  # 500 / 9 per low bin of the 1,000
    expected = float(np.sum((shares_now - 0.1) * np.log(shares_now / 0.1)))
    psi = population_stability(reference_percentiles=percentiles_of(then), values=now)
    assert psi == pytest.approx(expected, rel=0.02)


def test_tied_values_are_not_read_as_drift():
    values = np.random.default_rng(3).integers(1, 6, 10_000).astype(float)  # five values, many ties
    assert population_stability(reference_percentiles=percentiles_of(values), values=values) < 0.01


def test_missing_values_are_left_out():
    values = np.random.default_rng(4).normal(size=5_000)
    with_gaps = np.concatenate([values, np.full(100, np.nan)])
    assert population_stability(reference_percentiles=percentiles_of(values), values=with_gaps) < 0.001
