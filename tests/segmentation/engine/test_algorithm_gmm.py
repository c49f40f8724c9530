"""Gaussian mixture: K by the lowest BIC, and each customer's probability of its own segment."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from segmentation.engine.algorithms import AlgorithmParameters, fit_clusters, mixture
from segmentation.engine.choosing_k import recommend_by_bic, sweep_k


def standardised(points: np.ndarray) -> np.ndarray:
    return (points - points.mean(axis=0)) / points.std(axis=0)


def three_blobs() -> tuple[np.ndarray, np.ndarray]:
    points, truth = make_blobs(
        n_samples=600, centers=[[0, 0], [6, 0], [3, 5]], cluster_std=1.0, random_state=0
    )
    return standardised(points), truth


def two_overlapping_blobs() -> np.ndarray:
    """Two round blobs 2.5 standard deviations apart, then their midpoint as the last row."""
    rng = np.random.default_rng(0)
    blobs = np.concatenate([rng.normal([0.0, 0.0], 1.0, (300, 2)), rng.normal([2.5, 0.0], 1.0, (300, 2))])
    return np.concatenate([blobs, [[1.25, 0.0]]])


def test_the_lowest_bic_chooses_three_blobs():
    points, _ = three_blobs()
    sweep = sweep_k(
        points=points,
        k_range=(2, 8),
        algorithm="gmm",
        seed=0,
        sample_size=20_000,
        silhouette_sample_size=5_000,
    )
    assert sweep.recommended_k == 3
    assert len(sweep.bics) == len(sweep.ks) == 7
    assert min(sweep.bics) == sweep.bics[sweep.ks.index(3)]
    assert sweep.knee is None
    assert sweep.reason.startswith(f"K=3 has the lowest BIC ({min(sweep.bics):,.0f})")


def test_bic_ties_go_to_the_smaller_k_and_a_single_k_says_so():
    assert recommend_by_bic(ks=[2, 3, 4], bics=[10.0, 5.0, 5.0])[0] == 3
    assert recommend_by_bic(ks=[2], bics=[10.0]) == (2, "only K=2 could be tried")


def test_each_customer_goes_to_its_most_probable_component():
    points, truth = three_blobs()
    fit = fit_clusters(algorithm="gmm", points=points, k=3, seed=0)
    assert adjusted_rand_score(truth, fit.labels) > 0.97
    assert fit.probabilities.shape == (600,)
    assert ((fit.probabilities > 0) & (fit.probabilities <= 1)).all()
    assert np.median(fit.probabilities) > 0.99
    assert dict(fit.parameters) == {"covariance_type": "full"}
    assert fit.fitted_on is None and fit.dendrogram is None


def test_membership_is_uncertain_between_overlapping_blobs():
    points = two_overlapping_blobs()
    fit = fit_clusters(algorithm="gmm", points=points, k=2, seed=0)
    assert fit.probabilities[-1] < 0.7
    far_from_the_middle = np.abs(points[:, 0] - 1.25) > 2.5
    assert fit.probabilities[far_from_the_middle].min() > 0.95


def test_a_sample_fit_gives_every_row_a_segment_and_a_probability():
    points, truth = three_blobs()
    fit = fit_clusters(
        algorithm="gmm", points=points, k=3, seed=0, parameters=AlgorithmParameters(fit_sample_size=150)
    )
    assert fit.fitted_on == 150
    assert fit.labels.shape == fit.probabilities.shape == (600,) and (fit.labels >= 0).all()
    assert adjusted_rand_score(truth, fit.labels) > 0.97


def test_the_final_fit_is_the_mixture_the_sweep_scored(monkeypatch):
    monkeypatch.setattr(mixture, "QUERY_CHUNK_ROWS", 100)  # probabilities computed in several chunks
    points, _ = three_blobs()
    fitted = fit_clusters(algorithm="gmm", points=points, k=3, seed=0)
    swept = mixture.fit_mixture(points=points, k=3, seed=0)
    assert_array_equal(fitted.probabilities, swept.predict_proba(points).max(axis=1))


@pytest.mark.parametrize("seed", [0, 9])
def test_same_seed_gives_identical_labels_and_probabilities(seed):
    points = two_overlapping_blobs()
    first = fit_clusters(algorithm="gmm", points=points, k=2, seed=seed)
    second = fit_clusters(algorithm="gmm", points=points, k=2, seed=seed)
    assert_array_equal(first.labels, second.labels)
    assert_array_equal(first.probabilities, second.probabilities)
