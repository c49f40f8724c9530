"""DBSCAN and HDBSCAN on data with a known answer: shapes K-Means cannot find, outliers, samples."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import make_circles, make_moons
from sklearn.metrics import adjusted_rand_score

from segmentation.engine.algorithms import (
    AlgorithmParameters,
    NoSegmentsFoundError,
    fit_clusters,
    order_by_size,
)
from segmentation.engine.errors import InvalidParameterError

FAR_POINTS = np.array([[-4.0, 4.0], [4.0, -4.0], [4.0, 4.0], [-4.0, -4.0]])


def standardised(points: np.ndarray) -> np.ndarray:
    return (points - points.mean(axis=0)) / points.std(axis=0)


def two_moons() -> tuple[np.ndarray, np.ndarray]:
    points, truth = make_moons(n_samples=400, noise=0.05, random_state=0)
    return standardised(points), truth


def two_rings() -> tuple[np.ndarray, np.ndarray]:
    points, truth = make_circles(n_samples=400, noise=0.05, factor=0.45, random_state=0)
    return standardised(points), truth


def blobs_of_different_density() -> tuple[np.ndarray, np.ndarray]:
    """A tight, a loose and a medium blob (300, 300, 200 points), standardised, then four far points."""
    rng = np.random.default_rng(0)
    blobs = np.concatenate(
        [
            rng.normal([0.0, 0.0], 0.3, (300, 2)),
            rng.normal([5.0, 5.0], 1.5, (300, 2)),
            rng.normal([8.0, -2.0], 0.6, (200, 2)),
        ]
    )
    truth = np.repeat([0, 1, 2], [300, 300, 200])
    return np.concatenate([standardised(blobs), FAR_POINTS]), np.concatenate([truth, [-1] * 4])


@pytest.mark.parametrize("shapes", [two_moons, two_rings])
def test_kmeans_cuts_the_shapes_wrongly(shapes):
    points, truth = shapes()
    fit = fit_clusters(algorithm="kmeans", points=points, k=2, seed=0)
    assert adjusted_rand_score(truth, fit.labels) < 0.5


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan"])
@pytest.mark.parametrize("shapes", [two_moons, two_rings])
def test_density_algorithms_find_the_two_shapes(shapes, algorithm):
    points, truth = shapes()
    fit = fit_clusters(algorithm=algorithm, points=points, k=None, seed=0)
    assert adjusted_rand_score(truth, fit.labels) > 0.9
    assert fit.fitted_on is None and fit.probabilities is None and fit.dendrogram is None


def test_hdbscan_finds_blobs_of_different_density_and_leaves_far_points_out():
    points, truth = blobs_of_different_density()
    fit = fit_clusters(algorithm="hdbscan", points=points, k=None, seed=0)
    assert len(fit.centroids) == 3
    assert_array_equal(fit.labels[-4:], [-1] * 4)
    assert adjusted_rand_score(truth, fit.labels) > 0.95
    assert dict(fit.parameters) == {"min_cluster_size": 9, "min_samples": 8}  # 1% of 804 rows; DBSCAN's


def test_outliers_have_no_centroid_and_no_share_of_the_inertia():
    points, _ = blobs_of_different_density()
    fit = fit_clusters(algorithm="hdbscan", points=points, k=None, seed=0)
    members = fit.labels >= 0
    for segment, centroid in enumerate(fit.centroids):
        assert np.allclose(centroid, points[fit.labels == segment].mean(axis=0))
    assert fit.inertia == pytest.approx(((points[members] - fit.centroids[fit.labels[members]]) ** 2).sum())


def test_outliers_stay_outliers_when_segments_are_numbered_by_size():
    points, _ = blobs_of_different_density()
    fit = fit_clusters(algorithm="hdbscan", points=points, k=None, seed=0)
    ordered = order_by_size(fit=fit)
    assert_array_equal(ordered.labels == -1, fit.labels == -1)
    sizes = np.bincount(ordered.labels[ordered.labels >= 0])
    assert sizes.tolist() == sorted(sizes, reverse=True) and sizes[-1] > 190


def test_dbscan_chooses_eps_at_the_knee_and_says_so():
    points, _ = two_moons()
    fit = fit_clusters(algorithm="dbscan", points=points, k=None, seed=0)
    assert fit.parameters["eps_chosen_by"] == "knee of the k-distance curve"
    assert 0.05 < fit.parameters["eps"] < 0.5
    assert fit.parameters["min_samples"] == 8


def test_a_given_eps_is_used_and_said_to_be_given():
    points, _ = two_moons()
    fit = fit_clusters(
        algorithm="dbscan",
        points=points,
        k=None,
        seed=0,
        parameters=AlgorithmParameters(eps=0.3, min_samples=8),
    )
    assert dict(fit.parameters) == {"eps": 0.3, "eps_chosen_by": "given", "min_samples": 8}


def test_dbscan_that_finds_no_dense_region_says_what_to_change():
    points, _ = two_moons()
    with pytest.raises(
        NoSegmentsFoundError, match="every customer is an outlier. Try a larger eps or a smaller"
    ):
        fit_clusters(
            algorithm="dbscan", points=points, k=None, seed=0, parameters=AlgorithmParameters(eps=1e-4)
        )


def test_an_eps_too_large_to_compute_is_refused(monkeypatch):
    from segmentation.engine.algorithms import dbscan

    monkeypatch.setattr(dbscan, "MAX_NEIGHBOUR_PAIRS", 10_000)
    points, _ = two_moons()
    with pytest.raises(InvalidParameterError, match="eps 3 is too large for these customers"):
        fit_clusters(
            algorithm="dbscan", points=points, k=None, seed=0, parameters=AlgorithmParameters(eps=3.0)
        )


def test_hdbscan_that_finds_no_group_says_what_to_change():
    points, _ = two_moons()
    with pytest.raises(
        NoSegmentsFoundError, match="no segment of at least 1,000 customers among the 400 fitted"
    ):
        fit_clusters(
            algorithm="hdbscan",
            points=points,
            k=None,
            seed=0,
            parameters=AlgorithmParameters(min_cluster_size=1_000),
        )


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan"])
def test_a_sample_fit_labels_every_row_like_a_full_fit(algorithm):
    points, truth = blobs_of_different_density()
    sampled = fit_clusters(
        algorithm=algorithm,
        points=points,
        k=None,
        seed=0,
        parameters=AlgorithmParameters(fit_sample_size=400),
    )
    assert sampled.fitted_on == 400
    assert sampled.labels.shape == (len(points),)
    assert_array_equal(sampled.labels[-4:], [-1] * 4)
    assert adjusted_rand_score(truth, sampled.labels) > 0.9


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan"])
def test_same_seed_gives_identical_labels(algorithm):
    points, _ = blobs_of_different_density()
    parameters = AlgorithmParameters(fit_sample_size=400)
    first = fit_clusters(algorithm=algorithm, points=points, k=None, seed=3, parameters=parameters)
    second = fit_clusters(algorithm=algorithm, points=points, k=None, seed=3, parameters=parameters)
    assert_array_equal(first.labels, second.labels)
