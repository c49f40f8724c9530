"""Synthetic, mall-like customers for demos and benchmarks.

Five groups shaped like the classic Mall Customers data (low / mid / high income against
low / mid / high spending), with plausible ages and genders. Pure numpy: the same seed and
count always give the same customers, generated in fixed-size chunks so memory stays flat.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEMO_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class DemoGroup:
    share: float
    income_mean: float
    income_spread: float
    spending_mean: float
    spending_spread: float
    age_min: int
    age_max: int


DEMO_GROUPS = (
    DemoGroup(0.40, 55, 8, 50, 6, 20, 68),  # middle income, middle spending
    DemoGroup(0.195, 87, 12, 82, 8, 27, 40),  # high income, high spending
    DemoGroup(0.175, 88, 14, 17, 9, 19, 59),  # high income, low spending
    DemoGroup(0.115, 26, 7, 79, 9, 18, 35),  # low income, high spending
    DemoGroup(0.115, 26, 7, 21, 9, 19, 67),  # low income, low spending
)
_GENDERS = np.array(["female", "male", "other"])
_GENDER_SHARES = (0.55, 0.44, 0.01)


def demo_customer_chunks(*, count: int, seed: int) -> Iterator[pd.DataFrame]:
    """Yield ``count`` customers in chunks, with customer IDs "1" to str(count)."""
    rng = np.random.default_rng(seed)
    for start in range(0, count, DEMO_CHUNK_ROWS):
        size = min(DEMO_CHUNK_ROWS, count - start)
        yield _demo_chunk(rng, first_id=start + 1, size=size)


def _demo_chunk(rng: np.random.Generator, *, first_id: int, size: int) -> pd.DataFrame:
    groups = rng.choice(len(DEMO_GROUPS), size=size, p=[group.share for group in DEMO_GROUPS])

    def per_row(attribute: str) -> np.ndarray:
        return np.array([getattr(group, attribute) for group in DEMO_GROUPS])[groups]

    income = rng.normal(per_row("income_mean"), per_row("income_spread"))
    spending = rng.normal(per_row("spending_mean"), per_row("spending_spread"))
    return pd.DataFrame(
        {
            "row": np.arange(first_id, first_id + size),
            "external_id": np.arange(first_id, first_id + size).astype(str),
            "gender": rng.choice(_GENDERS, size=size, p=_GENDER_SHARES),
            "age": rng.integers(per_row("age_min"), per_row("age_max") + 1),
            "annual_income": np.clip(np.round(income), 15, 140),
            "spending_score": np.clip(np.round(spending), 1, 100).astype(int),
        }
    )
