import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from segmentation.engine.errors import InvalidDataError, NoVarianceError
from segmentation.engine.features import check_variance, count_distinct_rows, encode_features, expand_features


def test_gender_expands_to_one_column_per_gender():
    assert expand_features(features=("age", "gender")) == (
        "age",
        "gender_female",
        "gender_male",
        "gender_other",
    )


def test_encode_features_one_hot_encodes_gender_in_the_chosen_order():
    customers = pd.DataFrame({"gender": ["male", "other", "female"], "annual_income": [15, 40.5, 99]})
    matrix = encode_features(customers=customers, features=("gender", "annual_income"))
    assert matrix.dtype == np.float64
    assert_array_equal(matrix, [[0, 1, 0, 15], [0, 0, 1, 40.5], [1, 0, 0, 99]])


def test_missing_column_is_named():
    with pytest.raises(InvalidDataError, match="no column for: age"):
        encode_features(customers=pd.DataFrame({"annual_income": [1.0]}), features=("annual_income", "age"))


def test_missing_values_are_counted():
    customers = pd.DataFrame({"age": [30, None, None]})
    with pytest.raises(InvalidDataError, match=r"2 customer\(s\) have no age"):
        encode_features(customers=customers, features=("age",))


def test_unknown_gender_is_quoted():
    customers = pd.DataFrame({"gender": ["female", "Male"]})
    with pytest.raises(InvalidDataError, match="Unknown gender value\\(s\\) 'Male'"):
        encode_features(customers=customers, features=("gender",))


def test_text_in_a_numeric_feature_is_refused():
    with pytest.raises(InvalidDataError, match="spending score values must be numbers"):
        encode_features(customers=pd.DataFrame({"spending_score": ["high"]}), features=("spending_score",))


@pytest.mark.parametrize(
    ("feature", "values", "message"),
    [
        ("age", [35, 35, 35], r"Every customer has the same age \(35\)"),
        ("gender", ["female", "female"], r"Every customer has the same gender \(female\)"),
    ],
)
def test_zero_variance_names_the_feature_and_its_value(feature, values, message):
    customers = pd.DataFrame({feature: values, "annual_income": range(len(values))})
    with pytest.raises(NoVarianceError, match=message):
        check_variance(customers=customers, features=("annual_income", feature))


def test_count_distinct_rows():
    assert count_distinct_rows(matrix=np.array([[1.0, 2.0], [1.0, 2.0], [2.0, 1.0]])) == 2
