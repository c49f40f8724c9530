"""Turning customer columns into a numeric feature matrix.

The built-in features are below; a caller may add numeric features of its own (the mall's
declared attributes) through the config's ``custom_features``. Gender is the one categorical
feature: every other feature is a number.
"""

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .errors import InvalidDataError, NoVarianceError

DEMOGRAPHIC_FEATURES = ("annual_income", "spending_score", "age")
# What a customer's purchases say (see customers.behaviour); customers without purchases have none.
BEHAVIOUR_FEATURES = ("recency_days", "frequency", "monetary", "avg_basket", "tenure_days")
NUMERIC_FEATURES = (*DEMOGRAPHIC_FEATURES, *BEHAVIOUR_FEATURES)
FEATURES = (*DEMOGRAPHIC_FEATURES, "gender", *BEHAVIOUR_FEATURES)
GENDERS = ("female", "male", "other")
CUSTOM_FEATURE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
"""What a custom feature's name looks like (the name of a declared attribute's column)."""
FEATURE_LABELS = {
    "annual_income": "annual income",
    "spending_score": "spending score",
    "age": "age",
    "gender": "gender",
    "recency_days": "days since the last purchase",
    "frequency": "purchase frequency",
    "monetary": "spend",
    "avg_basket": "average basket",
    "tenure_days": "days since the first purchase",
}


def is_numeric(feature: str) -> bool:
    return feature != "gender"


def expand_features(*, features: Sequence[str]) -> tuple[str, ...]:
    """Column names of the feature matrix: gender becomes one 0/1 column per gender."""
    columns: list[str] = []
    for feature in features:
        columns.extend([f"gender_{gender}" for gender in GENDERS] if feature == "gender" else [feature])
    return tuple(columns)


def encode_features(
    *, customers: pd.DataFrame, features: Sequence[str], labels: Mapping[str, str] = FEATURE_LABELS
) -> NDArray[np.float64]:
    """Check the chosen columns and return them as a float matrix laid out as `expand_features`.

    ``labels`` names the features in error messages (a feature without one is named as is)."""
    _check_columns(customers=customers, features=features, labels=labels)
    return np.column_stack([_encode_column(customers[feature], feature) for feature in features])


def check_variance(
    *, customers: pd.DataFrame, features: Sequence[str], labels: Mapping[str, str] = FEATURE_LABELS
) -> None:
    """Refuse a feature that holds one value for everybody: it cannot separate anyone."""
    for feature in features:
        column = customers[feature]
        value = column.iloc[0]
        if (column == value).all():
            label = labels.get(feature, feature)
            raise NoVarianceError(
                f"Every customer has the same {label} ({value}), so {label} cannot separate segments; "
                "remove it from the features."
            )


def count_distinct_rows(*, matrix: NDArray[np.float64]) -> int:
    return len(pd.DataFrame(matrix).drop_duplicates())


def _check_columns(*, customers: pd.DataFrame, features: Sequence[str], labels: Mapping[str, str]) -> None:
    missing = [feature for feature in features if feature not in customers.columns]
    if missing:
        raise InvalidDataError(f"The customer data has no column for: {', '.join(missing)}.")
    for feature in features:
        column = customers[feature]
        label = labels.get(feature, feature)
        gaps = int(column.isna().sum())
        if gaps:
            raise InvalidDataError(f"{gaps} customer(s) have no {label}.")
        if feature == "gender":
            unknown = column[~column.isin(GENDERS)].unique()[:5]
            if len(unknown):
                shown = ", ".join(repr(str(value)) for value in unknown)
                expected = ", ".join(GENDERS)
                raise InvalidDataError(f"Unknown gender value(s) {shown}; expected one of {expected}.")
        elif not pd.api.types.is_numeric_dtype(column):
            raise InvalidDataError(f"The {label} values must be numbers.")


def _encode_column(column: pd.Series, feature: str) -> NDArray[np.float64]:
    if feature == "gender":
        return np.column_stack([(column == gender).to_numpy(dtype=np.float64) for gender in GENDERS])
    return column.to_numpy(dtype=np.float64)
