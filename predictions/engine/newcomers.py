"""The segment a new member (no purchases yet: age, gender and income from the loyalty desk) is
most likely to join, from a classifier trained on customers with history and their segments, with
its accuracy measured on held-out customers against always guessing the largest segment."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

NEWCOMER_FEATURES = ("age", "annual_income", "gender")
GENDERS = ("female", "male", "other")
HELD_OUT_SHARE = 0.2
MIN_CUSTOMERS = 50


class NotEnoughToLearnError(ValueError):
    """Too few customers, or a single segment: nothing to learn a newcomer's segment from."""


@dataclass(frozen=True)
class NewcomerModel:
    """The fitted classifier, its accuracy on held-out customers and the largest segment's share
    (what always guessing it would score)."""

    classifier: object
    accuracy: float
    baseline_accuracy: float
    held_out: int

    @property
    def beats_baseline(self) -> bool:
        return self.accuracy > self.baseline_accuracy


def newcomer_model(*, customers: pd.DataFrame, segments: pd.Series, seed: int = 0) -> NewcomerModel:
    """Train on ``customers`` (NEWCOMER_FEATURES) labelled by ``segments`` (same index)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split

    if len(customers) < MIN_CUSTOMERS or segments.nunique() < 2:
        raise NotEnoughToLearnError(
            f"{len(customers)} customers in {segments.nunique()} segment(s): at least {MIN_CUSTOMERS} "
            "customers in two segments are needed."
        )
    features = _encoded(customers)
    stratify = segments if segments.value_counts().min() >= 2 else None
    train_x, test_x, train_y, test_y = train_test_split(
        features, segments, test_size=HELD_OUT_SHARE, random_state=seed, stratify=stratify
    )
    classifier = HistGradientBoostingClassifier(random_state=seed).fit(train_x, train_y)
    return NewcomerModel(
        classifier=classifier,
        accuracy=float((classifier.predict(test_x) == test_y.to_numpy()).mean()),
        baseline_accuracy=float(test_y.value_counts(normalize=True).max()),
        held_out=len(test_y),
    )


def newcomer_segment(model: NewcomerModel, *, values: pd.DataFrame) -> pd.DataFrame:
    """For each row of ``values`` (NEWCOMER_FEATURES): the most likely ``segment`` and its ``probability``."""
    probabilities = model.classifier.predict_proba(_encoded(values))
    best = probabilities.argmax(axis=1)
    return pd.DataFrame(
        {
            "segment": model.classifier.classes_[best],
            "probability": probabilities[np.arange(len(best)), best],
        },
        index=values.index,
    )


def _encoded(customers: pd.DataFrame) -> pd.DataFrame:
    """Age and income as numbers, gender one-hot over every gender the book knows."""
    encoded = customers[["age", "annual_income"]].astype(float)
    for gender in GENDERS:
        encoded[f"gender_{gender}"] = (customers["gender"] == gender).astype(float)
    return encoded
