"""What a run says about its own trustworthiness: weak structure, unstable and tiny segments."""

import numpy as np
import pandas as pd
import pytest

from segmentation.engine import SegmentationConfig, run_segmentation
from segmentation.engine.trust import WARNING_CODES, SizeGuard
from tests.segmentation.engine.conftest import customers_from
from tests.segmentation.engine.test_mall import mall_customers  # noqa: F401 (a fixture)


def uniform_customers(seed: int) -> pd.DataFrame:
    """2,000 customers with income and spending drawn uniformly: no natural groups at all."""
    rng = np.random.default_rng(seed)
    return customers_from(np.column_stack([rng.uniform(15, 140, 2_000), rng.uniform(1, 100, 2_000)]))


def codes(result) -> list[str]:
    return [warning.code for warning in result.warnings]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_uniform_customers_are_flagged_as_weak_structure(seed):
    result = run_segmentation(customers=uniform_customers(seed), config=SegmentationConfig(seed=seed))

    assert "weak_structure" in codes(result)
    assert not result.quality.tendency.has_structure
    assert "slices of a continuum" in result.warnings[0].message


@pytest.mark.parametrize("seed", [0, 42])
def test_the_mall_file_has_structure_and_its_five_segments_are_stable(mall_customers, seed):  # noqa: F811
    result = run_segmentation(customers=mall_customers, config=SegmentationConfig(seed=seed))

    assert result.k == 5 and result.quality.tendency.has_structure
    assert codes(result) == []
    assert all(segment.stability >= 0.75 for segment in result.segments)
    assert result.quality.stability.overall_ari > 0.9
    metrics = result.quality.metrics
    assert metrics.silhouette == pytest.approx(0.55, abs=0.01)
    assert metrics.davies_bouldin < 1 and metrics.calinski_harabasz > 100
    assert result.quality.readings["silhouette"].startswith("reasonable structure")


def test_blobs_have_structure_and_no_warning(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(k=4))

    assert codes(result) == [] and all(segment.cautions == () for segment in result.segments)


def test_a_tiny_segment_is_flagged_and_named(blob_customers):
    loners = customers_from(np.array([[150.0, 150.0], [152.0, 151.0]]))
    result = run_segmentation(
        customers=pd.concat([blob_customers, loners], ignore_index=True), config=SegmentationConfig(k=5)
    )

    tiny = [warning for warning in result.warnings if warning.code == "tiny_segment"]
    assert len(tiny) == 1 and "holds only 2 customers (0.3%)" in tiny[0].message
    assert result.segments[tiny[0].segment].cautions == ("tiny_segment",)


def test_an_over_split_run_has_unstable_segments_named_in_its_warnings(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(k=6, min_segment_size=0))

    unstable = [warning for warning in result.warnings if warning.code == "unstable_segment"]
    assert unstable
    assert all("is unstable" in warning.message for warning in unstable)
    assert all("unstable_segment" in result.segments[warning.segment].cautions for warning in unstable)


def test_the_size_guard_counts_both_share_and_size():
    guard = SizeGuard(min_share=0.05, min_size=10)

    assert guard.tiny(sizes=[500, 20, 9]) == (1, 2)  # 20 is under 5% of 529; 9 under 10 customers
    assert SizeGuard(min_share=0, min_size=0).tiny(sizes=[5, 1]) == ()


def test_warning_codes_are_the_documented_ones():
    assert WARNING_CODES == ("weak_structure", "unstable_segment", "tiny_segment", "sampled")
