import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from segmentation.engine import (
    InvalidDataError,
    NoCustomersError,
    NoVarianceError,
    SegmentationConfig,
    TooFewCustomersError,
    measure_segmentation,
    run_segmentation,
    segment_customers,
)


def test_blobs_give_four_segments_numbered_by_size(blob_customers):
    customers = blob_customers.iloc[30:].reset_index(drop=True)  # 120, 150, 150, 150 customers
    result = run_segmentation(customers=customers, config=SegmentationConfig())
    assert result.k == 4 and result.k_automatic
    assert "K=4" in result.sweep.reason
    assert [segment.profile.size for segment in result.segments] == [150, 150, 150, 120]
    assert [segment.profile.index for segment in result.segments] == [0, 1, 2, 3]
    assert result.silhouette > 0.8
    assert all(segment.silhouette > 0.8 for segment in result.segments)


def test_labels_and_distances_are_arrays_in_input_order(blob_customers):
    customers = blob_customers.sample(frac=1, random_state=1).set_index(np.arange(1000, 1600))
    result = run_segmentation(customers=customers, config=SegmentationConfig(k=4))
    assert result.labels.shape == result.distances.shape == (600,)
    assert np.issubdtype(result.labels.dtype, np.integer) and result.distances.dtype == np.float64
    assert np.bincount(result.labels).tolist() == [segment.profile.size for segment in result.segments]
    points = result.scaler.transform(raw=customers[["annual_income", "spending_score"]].to_numpy(float))
    gaps = np.linalg.norm(points[:, None, :] - result.centroids[None, :, :], axis=2)
    assert_array_equal(result.labels, gaps.argmin(axis=1))
    assert_allclose(result.distances, gaps.min(axis=1))
    assert result.inertia == pytest.approx((result.distances**2).sum())


def test_centroids_return_to_original_units(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(k=4))
    original = result.scaler.inverse_transform(scaled=result.centroids)
    means = [
        [segment.profile.means["annual_income"], segment.profile.means["spending_score"]]
        for segment in result.segments
    ]
    assert_allclose(original, means, atol=1e-6)


def test_same_data_and_seed_give_identical_results(blob_customers):
    config = SegmentationConfig(features=("annual_income", "spending_score", "age", "gender"), seed=3)
    first = run_segmentation(customers=blob_customers, config=config)
    second = run_segmentation(customers=blob_customers, config=config)
    assert_array_equal(first.labels, second.labels)
    assert_array_equal(first.centroids, second.centroids)
    assert first.sweep == second.sweep
    assert first.segments == second.segments


def test_fixed_k_skips_the_sweep_but_measures_silhouette(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(k=3))
    assert (result.k, result.k_automatic, result.sweep) == (3, False, None)
    assert result.silhouette is not None and len(result.segments) == 3


def test_personas_and_display_names(blob_customers, seed_rules):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(), persona_rules=seed_rules)
    by_centre = {
        (
            round(segment.profile.means["annual_income"], -1),
            round(segment.profile.means["spending_score"], -1),
        ): (
            segment.persona,
            segment.display_name,
        )
        for segment in result.segments
    }
    assert by_centre == {
        (20, 20): ("Minimal Shoppers", "Minimal Shoppers"),
        (20, 80): ("Impulse Buyers", "Impulse Buyers"),
        (80, 20): ("Cautious Spenders", "Cautious Spenders"),
        (80, 80): ("Premium Shoppers", "Premium Shoppers"),
    }


def test_progress_rises_from_0_to_100_with_a_step_per_k(blob_customers):
    steps = []
    run_segmentation(
        customers=blob_customers,
        config=SegmentationConfig(k_range=(2, 5)),
        on_progress=lambda percent, step: steps.append((percent, step)),
    )
    percents = [percent for percent, _ in steps]
    assert percents[0] == 0 and percents[-1] == 100 and percents == sorted(percents)
    assert [step for _, step in steps if step.startswith("Tried")] == [
        "Tried K=2, 1 of 4",
        "Tried K=3, 2 of 4",
        "Tried K=4, 3 of 4",
        "Tried K=5, 4 of 4",
    ]


def test_a_run_is_its_segments_then_their_measured_quality(blob_customers):
    """The two phases a caller may run apart (storing the segments while measuring them) give
    exactly what the whole run gives."""
    config = SegmentationConfig(min_segment_share=0.3)  # four blobs of a quarter each: all tiny
    segmentation = segment_customers(customers=blob_customers, config=config)
    assert segmentation.k == 4
    assert {(s.silhouette, s.stability, s.cautions) for s in segmentation.segments} == {(None, None, ())}

    measured = measure_segmentation(segmentation=segmentation, config=config)
    whole = run_segmentation(customers=blob_customers, config=config)
    assert measured.segments == whole.segments
    assert all(segment.cautions == ("tiny_segment",) for segment in measured.segments)
    assert (measured.silhouette, measured.quality, measured.warnings) == (
        whole.silhouette,
        whole.quality,
        whole.warnings,
    )
    assert_array_equal(measured.labels, whole.labels)
    assert_array_equal(measured.distances, whole.distances)


def test_no_customers():
    empty = pd.DataFrame(columns=["annual_income", "spending_score", "age", "gender"])
    with pytest.raises(NoCustomersError, match="There are no customers to segment."):
        run_segmentation(customers=empty, config=SegmentationConfig())


def test_fewer_customers_than_k(blob_customers):
    with pytest.raises(TooFewCustomersError, match="Only 3 customers to segment, but K is 5"):
        run_segmentation(customers=blob_customers.head(3), config=SegmentationConfig(k=5))
    with pytest.raises(TooFewCustomersError, match="Only 1 customer to segment, but K is 2"):
        run_segmentation(customers=blob_customers.head(1), config=SegmentationConfig())


def test_fewer_distinct_customers_than_k():
    customers = pd.DataFrame(
        {"annual_income": [10, 10, 20, 20, 30, 30], "spending_score": [1, 1, 2, 2, 3, 3]}
    )
    with pytest.raises(TooFewCustomersError, match="K is 4 but the customers have only 3 distinct"):
        run_segmentation(customers=customers, config=SegmentationConfig(k=4))


def test_feature_without_variance(blob_customers):
    customers = blob_customers.assign(age=42)
    with pytest.raises(NoVarianceError, match=r"Every customer has the same age \(42\)"):
        run_segmentation(customers=customers, config=SegmentationConfig(features=("annual_income", "age")))


def test_missing_column(blob_customers):
    with pytest.raises(InvalidDataError, match="no column for: age"):
        run_segmentation(
            customers=blob_customers.drop(columns="age"), config=SegmentationConfig(features=("age",))
        )
