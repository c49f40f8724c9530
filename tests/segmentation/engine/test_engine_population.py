import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

from segmentation.engine import summarise_population


def population() -> pd.DataFrame:
    values = np.arange(1, 101)
    return pd.DataFrame(
        {"annual_income": values * 1.0, "spending_score": values, "age": 18 + values % 50, "gender": "female"}
    )


def test_summary_gives_mean_median_and_percentiles_of_each_numeric_feature():
    summary = summarise_population(customers=population())

    assert set(summary) == {"annual_income", "spending_score", "age"}
    assert summary["annual_income"].mean == 50.5
    assert summary["annual_income"].median == 50.5
    assert len(summary["annual_income"].percentiles) == 101


def test_rank_of_places_a_value_among_all_customers():
    income = summarise_population(customers=population())["annual_income"]

    assert_allclose(income.rank_of(value=50.5), 50)
    assert income.rank_of(value=0) == 0
    assert income.rank_of(value=1_000) == 100
    assert income.rank_of(value=90) > 85
