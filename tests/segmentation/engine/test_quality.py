"""Known answers for "can these segments be trusted?": tendency, metrics and stability (issue #12)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs, make_circles, make_moons

from segmentation.engine import quality
from segmentation.engine.algorithms import fit_clusters
from segmentation.engine.quality import (
    HOPKINS_THRESHOLD,
    UNSTABLE_BELOW,
    QualityMetrics,
    cluster_tendency,
    quality_metrics,
    segment_stability,
)
from segmentation.engine.readings import UNDEFINED_READING, metric_readings
from segmentation.engine.sampling import sample_indices
from segmentation.engine.silhouette import silhouette_scores
from tests.segmentation.engine.test_mall import MALL_CSV

# Hennig (2007): a segment whose mean Jaccard is 0.75 or more is stable.
STABLE_FROM = 0.75


def standardised(points: np.ndarray) -> np.ndarray:
    return (points - points.mean(axis=0)) / points.std(axis=0)


def uniform_customers(seed: int) -> np.ndarray:
    """2,000 customers with income 15..140 k$ and spending score 1..100 spread evenly."""
    rng = np.random.default_rng(seed)
    return standardised(np.column_stack([rng.uniform(15, 140, 2_000), rng.uniform(1, 100, 2_000)]))


def three_blobs(seed: int = 0) -> np.ndarray:
    centres = [[0.0, 0.0], [10.0, 0.0], [5.0, 9.0]]
    return standardised(make_blobs(n_samples=600, centers=centres, cluster_std=1.0, random_state=seed)[0])


def kmeans_labels(points: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    return fit_clusters(algorithm="kmeans", points=points, k=k, seed=seed).labels


def kmeans_refit(k: int):
    return lambda points, seed: kmeans_labels(points, k, seed)


def kmeans_stability(points: np.ndarray, k: int, **options):
    """Stability of K-means segments with K=k, each resample re-clustered by K-means."""
    options = {"seed": 0, **options}
    return segment_stability(points=points, labels=kmeans_labels(points, k), refit=kmeans_refit(k), **options)


@pytest.fixture(scope="module")
def mall_points() -> np.ndarray:
    """The Mall Customers annual income and spending score, standardised."""
    if not MALL_CSV.exists():
        pytest.skip(f"the Mall Customers file is not at {MALL_CSV}")
    raw = pd.read_csv(MALL_CSV)
    return standardised(raw[["Annual Income (k$)", "Spending Score (1-100)"]].to_numpy(float))


# Cluster tendency


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_evenly_spread_customers_have_no_structure(seed):
    tendency = cluster_tendency(points=uniform_customers(seed), seed=seed)
    assert tendency.method == "hopkins"
    assert tendency.statistic == pytest.approx(0.5, abs=0.05)
    assert not tendency.has_structure


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_the_mall_income_and_spending_have_structure(mall_points, seed):
    tendency = cluster_tendency(points=mall_points, seed=seed)
    assert tendency.has_structure
    assert tendency.statistic > 0.75


def test_separated_blobs_have_structure(blob_points):
    assert cluster_tendency(points=standardised(blob_points), seed=0).statistic > 0.95


@pytest.mark.parametrize(
    "shapes",
    [
        make_moons(n_samples=1_000, noise=0.05, random_state=0),
        make_circles(1_000, noise=0.05, factor=0.5, random_state=0),
    ],
    ids=["two moons", "concentric rings"],
)
def test_non_convex_groups_have_structure(shapes):
    assert cluster_tendency(points=standardised(shapes[0]), seed=0).has_structure


@pytest.mark.parametrize("dimensions", [3, 4, 5])
def test_tendency_tells_uniform_from_blobs_in_more_dimensions(dimensions):
    uniform = np.random.default_rng(dimensions).uniform(size=(2_000, dimensions))
    blobs = make_blobs(n_samples=2_000, n_features=dimensions, centers=4, random_state=dimensions)[0]
    assert not cluster_tendency(points=standardised(uniform), seed=0).has_structure
    assert cluster_tendency(points=standardised(blobs), seed=0).has_structure


def test_tendency_is_deterministic_for_a_seed_and_bounded():
    points = np.random.default_rng(0).normal(size=(50_000, 2))
    first = cluster_tendency(points=points, seed=7)
    assert first == cluster_tendency(points=points, seed=7)
    assert first.sample_size == 2_000
    assert cluster_tendency(points=points, seed=7, sample_size=500).sample_size == 500


def test_ten_customers_still_get_a_statistic():
    tendency = cluster_tendency(points=standardised(uniform_customers(0)[:10]), seed=0)
    assert tendency.sample_size == 10
    assert 0.0 <= tendency.statistic <= 1.0


def test_identical_customers_have_no_statistic_and_no_structure():
    tendency = cluster_tendency(points=np.ones((50, 2)), seed=0)
    assert np.isnan(tendency.statistic)
    assert not tendency.has_structure


def test_piles_of_identical_customers_are_structure():
    points = np.repeat([[0.0, 0.0], [1.0, 1.0]], 25, axis=0)
    assert cluster_tendency(points=points, seed=0).statistic > HOPKINS_THRESHOLD


# Metrics


def test_mall_five_segments_read_as_clear_separation(mall_points):
    metrics = quality_metrics(points=mall_points, labels=kmeans_labels(mall_points, 5), seed=0)
    assert metrics.silhouette == pytest.approx(0.55, abs=0.01)
    assert metrics.davies_bouldin == pytest.approx(0.57, abs=0.01)
    assert metrics.calinski_harabasz > 200
    readings = metric_readings(metrics)
    assert readings["silhouette"] == "reasonable structure: clear separation between segments"
    assert readings["davies_bouldin"] == "lower is better; the segments are compact and well apart"
    assert "compare runs on the same customers" in readings["calinski_harabasz"]


def test_noise_rows_are_left_out_of_every_metric(blob_points):
    labels = np.repeat(np.arange(4), 150)
    outliers = np.random.default_rng(0).uniform(0, 100, size=(60, 2))
    with_noise = quality_metrics(
        points=np.concatenate([blob_points, outliers]),
        labels=np.concatenate([labels, np.full(60, -1)]),
        seed=0,
    )
    without_noise = quality_metrics(points=blob_points, labels=labels, seed=0)
    assert with_noise.noise_share == pytest.approx(60 / 660)
    assert replace(with_noise, noise_share=0.0) == without_noise


def test_metrics_run_on_a_bounded_sample():
    points = np.random.default_rng(0).normal(size=(20_000, 2))
    metrics = quality_metrics(points=points, labels=(points[:, 0] > 0).astype(int), seed=0, sample_size=800)
    assert metrics.sample_size == 800
    assert metrics.silhouette is not None


@pytest.mark.parametrize("labels", [np.zeros(30, int), np.r_[np.zeros(29, int), -1]], ids=["one", "noise"])
def test_one_segment_has_undefined_metrics(labels):
    metrics = quality_metrics(points=np.random.default_rng(0).normal(size=(30, 2)), labels=labels, seed=0)
    assert (metrics.silhouette, metrics.davies_bouldin, metrics.calinski_harabasz) == (None, None, None)
    assert set(metric_readings(metrics).values()) == {UNDEFINED_READING}


@pytest.mark.parametrize(
    ("silhouette", "reading"),
    [
        (0.8, "strong structure"),
        (0.55, "reasonable structure"),
        (0.3, "weak structure"),
        (0.1, "no substantial"),
    ],
)
def test_silhouette_reads_on_kaufman_and_rousseeuws_scale(silhouette, reading):
    metrics = QualityMetrics(
        silhouette=silhouette, davies_bouldin=1.4, calinski_harabasz=10.0, sample_size=100, noise_share=0.0
    )
    readings = metric_readings(metrics)
    assert readings["silhouette"].startswith(reading)
    assert readings["davies_bouldin"] == "lower is better; the segments overlap"


# Stability


def test_mall_five_segments_are_stable(mall_points):
    stability = kmeans_stability(mall_points, 5)
    assert len(stability.per_segment) == 5
    assert min(stability.per_segment) >= STABLE_FROM
    assert stability.overall_ari > 0.95
    assert stability.unstable == ()


def test_three_separated_blobs_are_stable():
    stability = kmeans_stability(three_blobs(), 3)
    assert min(stability.per_segment) >= STABLE_FROM
    assert stability.overall_ari == pytest.approx(1.0)


def test_stability_alone_does_not_prove_groups():
    """K-means cuts an evenly filled square into the same four quarters every time; only the
    tendency test shows there are no groups to cut."""
    points = uniform_customers(0)
    stability = kmeans_stability(points, 4)
    assert min(stability.per_segment) >= STABLE_FROM
    assert not cluster_tendency(points=points, seed=0).has_structure


def test_uniform_five_dimensions_cut_in_four_is_unstable():
    """Not on every data set: over 15 other data seeds, some segment or the ARI fell below 0.6 in 13."""
    stability = kmeans_stability(standardised(np.random.default_rng(0).uniform(size=(1_000, 5))), 4)
    assert stability.unstable
    assert stability.overall_ari < UNSTABLE_BELOW


def test_over_split_blobs_are_not_all_stable():
    """Eight segments on three blobs: the cuts inside a blob move between refits (in 15 of 15 data
    seeds tried the least stable segment was below 0.75; below 0.6 in 5)."""
    stability = kmeans_stability(three_blobs(), 8)
    assert min(stability.per_segment) < STABLE_FROM
    assert stability.overall_ari < 0.9


def test_a_refit_with_random_labels_makes_every_segment_unstable(mall_points):
    def random_refit(points, seed):
        return np.random.default_rng(seed).integers(0, 5, len(points))

    stability = segment_stability(
        points=mall_points, labels=kmeans_labels(mall_points, 5), refit=random_refit, seed=0
    )
    assert stability.unstable == (0, 1, 2, 3, 4)
    assert stability.overall_ari == pytest.approx(0.0, abs=0.05)


def test_stability_is_deterministic_and_refits_bounded_subsets():
    points = three_blobs()[np.random.default_rng(0).integers(0, 600, 20_000)]
    subset_sizes = []

    def recording_refit(subset, seed):
        subset_sizes.append(len(subset))
        return kmeans_labels(subset, 3, seed)

    first = segment_stability(
        points=points,
        labels=kmeans_labels(points, 3),
        refit=recording_refit,
        seed=3,
        resamples=4,
        sample_size=500,
    )
    assert first == kmeans_stability(points, 3, seed=3, resamples=4, sample_size=500)
    assert (first.sample_size, first.resamples, subset_sizes) == (500, 4, [400] * 4)


def test_noise_is_never_a_segment():
    points = np.concatenate([three_blobs(), np.random.default_rng(0).uniform(-2, 2, size=(20, 2))])

    def dbscan(subset, seed):
        return DBSCAN(eps=0.3, min_samples=5).fit_predict(subset)

    labels = dbscan(points, 0)
    assert labels.max() == 2 and (labels == -1).any()
    stability = segment_stability(points=points, labels=labels, refit=dbscan, seed=0)
    assert len(stability.per_segment) == 3
    assert min(stability.per_segment) >= STABLE_FROM


def test_a_refit_that_finds_only_noise_keeps_no_segment():
    points = three_blobs()
    stability = segment_stability(
        points=points,
        labels=kmeans_labels(points, 3),
        refit=lambda subset, seed: np.full(len(subset), -1),
        seed=0,
    )
    assert stability.per_segment == (0.0, 0.0, 0.0)
    assert stability.unstable == (0, 1, 2)


def test_a_segment_without_sampled_members_is_nan_and_not_listed():
    points = np.concatenate([three_blobs(), [[50.0, 50.0]]])
    labels = np.r_[kmeans_labels(points[:-1], 3), 3]
    assert 600 not in sample_indices(n=601, size=300, seed=2)
    stability = segment_stability(
        points=points, labels=labels, refit=kmeans_refit(3), seed=2, sample_size=300
    )
    assert len(stability.per_segment) == 4
    assert np.isnan(stability.per_segment[3])
    assert stability.unstable == ()


def test_a_silhouette_measured_on_the_same_sample_is_taken_not_measured_again(monkeypatch):
    points = three_blobs()
    labels = kmeans_labels(points, 3)
    measured = silhouette_scores(points=points, labels=labels, k=3, sample_size=200, seed=4)
    computed = quality_metrics(points=points, labels=labels, seed=4, sample_size=200)

    monkeypatch.setattr(quality, "silhouette_scores", None)  # calling it now would fail
    given = quality_metrics(points=points, labels=labels, seed=4, sample_size=200, silhouette=measured)

    assert given == computed
