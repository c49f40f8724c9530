"""Fixtures for the engine tests: plain numpy/pandas data, no database, no Django."""

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from segmentation.engine import PersonaRule

BLOB_CENTRES = np.array([[20.0, 20.0], [20.0, 80.0], [80.0, 20.0], [80.0, 80.0]])


@pytest.fixture(autouse=True, scope="session")
def one_openmp_thread():
    """The test data are tiny: one OpenMP thread is faster than several, and steadier on a busy machine."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def customers_from(points: np.ndarray, *, seed: int = 0) -> pd.DataFrame:
    """Customers whose income and spending are `points`, with random age and gender."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "annual_income": points[:, 0],
            "spending_score": points[:, 1],
            "age": rng.integers(18, 70, len(points)),
            "gender": rng.choice(["female", "male", "other"], len(points)),
        }
    )


@pytest.fixture
def blob_centres() -> np.ndarray:
    return BLOB_CENTRES


@pytest.fixture
def blob_points(blob_centres: np.ndarray) -> np.ndarray:
    """Four tight, well-separated blobs of 150 points each (income k$, spending score)."""
    rng = np.random.default_rng(0)
    return np.concatenate([centre + rng.normal(scale=3.0, size=(150, 2)) for centre in blob_centres])


@pytest.fixture
def blob_customers(blob_points: np.ndarray) -> pd.DataFrame:
    return customers_from(blob_points)


@pytest.fixture
def seed_rules() -> tuple[PersonaRule, ...]:
    """The five personas the project seeds into its database."""
    return (
        PersonaRule(name="Premium Shoppers", levels={"annual_income": "high", "spending_score": "high"}),
        PersonaRule(name="Cautious Spenders", levels={"annual_income": "high", "spending_score": "low"}),
        PersonaRule(name="Impulse Buyers", levels={"annual_income": "low", "spending_score": "high"}),
        PersonaRule(name="Minimal Shoppers", levels={"annual_income": "low", "spending_score": "low"}),
        PersonaRule(name="Standard Shoppers", levels={"annual_income": "mid", "spending_score": "mid"}),
    )
