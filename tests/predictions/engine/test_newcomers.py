"""A new member's likely segment: learnt from customers with history, measured on held-out
customers against always guessing the largest segment."""

import numpy as np
import pandas as pd
import pytest

from predictions.engine.newcomers import NotEnoughToLearnError, newcomer_model, newcomer_segment


def planted(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Segments set by income (three bands) and, among high earners, by age."""
    rng = np.random.default_rng(seed)
    customers = pd.DataFrame(
        {
            "age": rng.integers(18, 70, n),
            "annual_income": rng.uniform(15, 140, n).round(),
            "gender": rng.choice(["female", "male"], n),
        }
    )
    segments = np.select(
        [customers["annual_income"] < 50, customers["annual_income"] < 95, customers["age"] < 40],
        [0, 1, 2],
        default=3,
    )
    return customers, pd.Series(segments, index=customers.index)


def test_the_planted_segments_are_learnt_and_beat_the_largest_segment_guess():
    customers, segments = planted()
    model = newcomer_model(customers=customers, segments=segments, seed=0)

    assert model.accuracy > 0.9 and model.beats_baseline
    assert model.baseline_accuracy < 0.5 and model.held_out == 120
    guesses = newcomer_segment(
        model,
        values=pd.DataFrame(
            {"age": [25, 60, 30], "annual_income": [30.0, 120.0, 120.0], "gender": ["male"] * 3}
        ),
    )
    assert guesses["segment"].tolist() == [0, 3, 2]
    assert (guesses["probability"] > 0.5).all()


def test_too_few_customers_or_one_segment_is_refused_saying_why():
    customers, segments = planted(n=40)
    with pytest.raises(NotEnoughToLearnError, match="40 customers"):
        newcomer_model(customers=customers, segments=segments)
    customers, segments = planted()
    with pytest.raises(NotEnoughToLearnError, match="in 1 segment"):
        newcomer_model(customers=customers, segments=segments * 0)
