"""Known answer on the classic 200-row Mall Customers file."""

from pathlib import Path

import pandas as pd
import pytest

from segmentation.engine import SegmentationConfig, run_segmentation

MALL_CSV = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "Mall_Customers.csv"


@pytest.fixture(scope="module")
def mall_customers() -> pd.DataFrame:
    if not MALL_CSV.exists():
        pytest.skip(f"the Mall Customers file is not at {MALL_CSV}")
    raw = pd.read_csv(MALL_CSV)
    return pd.DataFrame(
        {
            "annual_income": raw["Annual Income (k$)"].astype(float),
            "spending_score": raw["Spending Score (1-100)"],
            "age": raw["Age"],
            "gender": raw["Gender"].map({"Male": "male", "Female": "female"}),
        }
    )


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2024])
def test_five_segments_with_the_expected_personas(mall_customers, seed_rules, seed):
    result = run_segmentation(
        customers=mall_customers, config=SegmentationConfig(seed=seed), persona_rules=seed_rules
    )
    assert result.k == 5
    assert "K=5" in result.sweep.reason
    assert [segment.profile.size for segment in result.segments] == [81, 39, 35, 23, 22]
    assert result.silhouette == pytest.approx(0.55, abs=0.01)
    personas = {
        (
            round(segment.profile.means["annual_income"]),
            round(segment.profile.means["spending_score"]),
        ): segment.persona
        for segment in result.segments
    }
    assert personas == {
        (88, 17): "Cautious Spenders",
        (87, 82): "Premium Shoppers",
        (26, 79): "Impulse Buyers",
        (26, 21): "Minimal Shoppers",
        (55, 50): "Standard Shoppers",
    }
    levels = {segment.persona: tuple(segment.profile.levels.values()) for segment in result.segments}
    assert levels == {
        "Cautious Spenders": ("high", "low"),
        "Premium Shoppers": ("high", "high"),
        "Impulse Buyers": ("low", "high"),
        "Minimal Shoppers": ("low", "low"),
        "Standard Shoppers": ("mid", "mid"),
    }
