import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from segmentation.engine.algorithms import (
    ALGORITHM_LABELS,
    ALGORITHMS,
    AlgorithmParameters,
    ClusterFit,
    distances_to_centroids,
    fit_clusters,
    order_by_size,
)
from segmentation.engine.algorithms.kmeans import KMEANS_SEEDING_SAMPLE_SIZE
from segmentation.engine.errors import InvalidParameterError


def assert_each_centre_found(*, centroids: np.ndarray, centres: np.ndarray, tolerance: float) -> None:
    gaps = np.linalg.norm(centroids[:, None, :] - centres[None, :, :], axis=2)
    assert len(centroids) == len(centres)
    assert (gaps.min(axis=0) < tolerance).all()


def test_kmeans_finds_the_blob_centres(blob_points, blob_centres):
    fit = fit_clusters(algorithm="kmeans", points=blob_points, k=4, seed=0)
    assert fit.labels.shape == (len(blob_points),)
    assert np.issubdtype(fit.labels.dtype, np.integer)
    assert_each_centre_found(centroids=fit.centroids, centres=blob_centres, tolerance=1.0)
    assert fit.inertia == pytest.approx(((blob_points - fit.centroids[fit.labels]) ** 2).sum())


def test_same_seed_gives_identical_labels(blob_points):
    first = fit_clusters(algorithm="kmeans", points=blob_points, k=5, seed=7)
    second = fit_clusters(algorithm="kmeans", points=blob_points, k=5, seed=7)
    assert_array_equal(first.labels, second.labels)
    assert_array_equal(first.centroids, second.centroids)


def test_more_rows_than_the_seeding_sample_still_labels_every_row():
    rng = np.random.default_rng(3)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    points = centres[rng.integers(0, 3, KMEANS_SEEDING_SAMPLE_SIZE + 5_000)] + rng.normal(size=(25_000, 2))
    fit = fit_clusters(algorithm="kmeans", points=points, k=3, seed=0)
    assert fit.labels.shape == (25_000,)
    assert_each_centre_found(centroids=fit.centroids, centres=centres, tolerance=0.1)


def test_unknown_algorithm_is_refused(blob_points):
    with pytest.raises(
        InvalidParameterError, match="Unknown algorithm 'spectral'; choose one of kmeans, dbscan"
    ):
        fit_clusters(algorithm="spectral", points=blob_points, k=3, seed=0)


def test_order_by_size_numbers_segments_largest_first_and_keeps_centroids_aligned():
    fit = ClusterFit(
        labels=np.array([0, 1, 1, 2, 2, 2]), centroids=np.array([[0.0], [1.0], [2.0]]), inertia=1.5
    )
    ordered = order_by_size(fit=fit)
    assert_array_equal(ordered.labels, [2, 1, 1, 0, 0, 0])
    assert_array_equal(ordered.centroids, [[2.0], [1.0], [0.0]])
    assert ordered.inertia == 1.5


def test_distances_to_centroids_are_euclidean_to_the_own_centroid():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [10.0, 10.0]])
    distances = distances_to_centroids(
        points=points, labels=np.array([0, 0, 1]), centroids=np.array([[0.0, 0.0], [10.0, 11.0]])
    )
    assert distances.dtype == np.float64
    assert_allclose(distances, [0.0, 5.0, 1.0])


# The registry and what every algorithm shares


def test_every_algorithm_says_how_it_chooses_k_and_what_it_gives():
    assert list(ALGORITHMS) == ["kmeans", "dbscan", "hdbscan", "hierarchical", "gmm"]
    assert ALGORITHM_LABELS["hierarchical"] == "Hierarchical (Ward)"
    assert [name for name, algorithm in ALGORITHMS.items() if algorithm.takes_k] == [
        "kmeans",
        "hierarchical",
        "gmm",
    ]
    assert [name for name, algorithm in ALGORITHMS.items() if algorithm.marks_outliers] == [
        "dbscan",
        "hdbscan",
    ]
    assert [name for name, algorithm in ALGORITHMS.items() if algorithm.gives_probabilities] == ["gmm"]
    assert "BIC" in ALGORITHMS["gmm"].k_choice
    assert all(algorithm.k_choice for algorithm in ALGORITHMS.values())


def test_kmeans_fits_every_row_and_marks_no_outlier(blob_points):
    fit = fit_clusters(algorithm="kmeans", points=blob_points, k=4, seed=0)
    assert (fit.labels >= 0).all()
    assert fit.probabilities is None and fit.fitted_on is None and fit.dendrogram is None
    assert dict(fit.parameters) == {}


def test_a_density_algorithm_refuses_k(blob_points):
    with pytest.raises(
        InvalidParameterError, match="DBSCAN finds the number of segments itself; leave K empty"
    ):
        fit_clusters(algorithm="dbscan", points=blob_points, k=3, seed=0)


def test_an_algorithm_that_takes_k_needs_it(blob_points):
    with pytest.raises(InvalidParameterError, match="Gaussian mixture needs K"):
        fit_clusters(algorithm="gmm", points=blob_points, k=None, seed=0)


def test_a_parameter_the_algorithm_does_not_use_is_refused(blob_points):
    with pytest.raises(InvalidParameterError, match="K-Means does not use eps, min_cluster_size"):
        fit_clusters(
            algorithm="kmeans",
            points=blob_points,
            k=4,
            seed=0,
            parameters=AlgorithmParameters(eps=0.5, min_cluster_size=10),
        )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"eps": 0}, "eps must be a number above 0, not 0"),
        ({"eps": float("nan")}, "eps must be a number above 0"),
        ({"min_samples": 1}, "min_samples must be a whole number of at least 2, not 1"),
        ({"min_cluster_size": 2.5}, "min_cluster_size must be a whole number of at least 2"),
        ({"fit_sample_size": 10}, "fit_sample_size must be a whole number of at least 100, not 10"),
    ],
)
def test_invalid_parameters_are_refused_in_plain_language(settings, message):
    with pytest.raises(InvalidParameterError, match=message):
        AlgorithmParameters(**settings)


def test_order_by_size_keeps_outliers_out_of_every_segment():
    fit = ClusterFit(labels=np.array([-1, 0, 1, 1, -1, 1]), centroids=np.array([[0.0], [1.0]]), inertia=0.5)
    ordered = order_by_size(fit=fit)
    assert_array_equal(ordered.labels, [-1, 1, 0, 0, -1, 0])
    assert_array_equal(ordered.centroids, [[1.0], [0.0]])


def test_an_outlier_is_as_far_as_its_nearest_centroid():
    distances = distances_to_centroids(
        points=np.array([[0.0, 1.0], [9.0, 9.0]]),
        labels=np.array([0, -1]),
        centroids=np.array([[0.0, 0.0], [10.0, 10.0]]),
    )
    assert_allclose(distances, [1.0, np.sqrt(2.0)])
