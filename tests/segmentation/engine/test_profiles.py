"""Level bands, segment profiles and the population summary (segmentation.engine.profiles)."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from segmentation.engine.profiles import LevelBand, level_bands, profile_segments, summarise_population


@pytest.mark.parametrize(("value", "level"), [(9.9, "low"), (10.0, "mid"), (20.0, "mid"), (20.1, "high")])
def test_level_compares_with_the_band(value, level):
    assert LevelBand(low_below=10.0, high_above=20.0).level_of(value=value) == level


def test_bands_are_the_population_tertiles_of_numeric_features_only():
    customers = pd.DataFrame({"age": range(1, 101), "gender": ["female"] * 100})
    bands = level_bands(customers=customers, features=("age", "gender"))
    assert bands == {"age": LevelBand(low_below=pytest.approx(34.0), high_above=pytest.approx(67.0))}


def test_profiles_are_in_original_units():
    customers = pd.DataFrame(
        {
            "annual_income": [10.0, 20.0, 30.0, 100.0, 110.0, 150.0],
            "spending_score": [90, 80, 85, 10, 20, 15],
            "gender": ["female", "female", "male", "male", "male", "male"],
        },
        index=[50, 51, 52, 53, 54, 55],
    )
    features = ("annual_income", "spending_score", "gender")
    bands = level_bands(customers=customers, features=features)
    labels = np.array([1, 1, 1, 0, 0, 0])
    low, high = sorted(
        profile_segments(customers=customers, features=features, labels=labels, k=2, bands=bands),
        key=lambda profile: profile.means["annual_income"],
    )
    assert (low.index, low.size, low.share) == (1, 3, 0.5)
    assert low.means == {"annual_income": 20.0, "spending_score": 85.0}
    assert high.medians == {"annual_income": 110.0, "spending_score": 15.0}
    assert low.levels == {"annual_income": "low", "spending_score": "high"}
    assert high.levels == {"annual_income": "high", "spending_score": "low"}
    assert low.gender_shares == pytest.approx({"female": 2 / 3, "male": 1 / 3, "other": 0.0})
    assert high.gender_shares == {"female": 0.0, "male": 1.0, "other": 0.0}


def test_gender_shares_are_none_without_gender():
    customers = pd.DataFrame({"age": [20, 30, 60, 70]})
    bands = level_bands(customers=customers, features=("age",))
    profiles = profile_segments(
        customers=customers, features=("age",), labels=np.array([0, 0, 1, 1]), k=2, bands=bands
    )
    assert [profile.gender_shares for profile in profiles] == [None, None]
    assert [profile.levels["age"] for profile in profiles] == ["low", "high"]


# POPULATION SUMMARY


def population() -> pd.DataFrame:
    values = np.arange(1, 101)
    return pd.DataFrame(
        {"annual_income": values * 1.0, "spending_score": values, "age": 18 + values % 50, "gender": "female"}
    )


def test_summary_gives_mean_median_and_percentiles_of_each_numeric_feature():
    summary = summarise_population(
        customers=population(), features=["annual_income", "spending_score", "age", "gender", "monetary"]
    )

    assert set(summary) == {"annual_income", "spending_score", "age"}
    assert summary["annual_income"].mean == 50.5
    assert summary["annual_income"].median == 50.5
    assert len(summary["annual_income"].percentiles) == 101


def test_rank_of_places_a_value_among_all_customers():
    income = summarise_population(customers=population(), features=["annual_income"])["annual_income"]

    assert_allclose(income.rank_of(value=50.5), 50)
    assert income.rank_of(value=0) == 0
    assert income.rank_of(value=1_000) == 100
    assert income.rank_of(value=90) > 85
