"""Hierarchical (Ward) clustering: separated blobs, a small drawable dendrogram, one tree for the K sweep."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.metrics import adjusted_rand_score

from segmentation.engine import choosing_k
from segmentation.engine.algorithms import AlgorithmParameters, fit_clusters
from segmentation.engine.algorithms.hierarchical import DENDROGRAM_MERGES
from segmentation.engine.choosing_k import sweep_k

BLOB_TRUTH = np.repeat([0, 1, 2, 3], 150)


def test_ward_finds_well_separated_blobs(blob_points):
    fit = fit_clusters(algorithm="hierarchical", points=blob_points, k=4, seed=0)
    assert adjusted_rand_score(BLOB_TRUTH, fit.labels) == 1.0
    assert fit.fitted_on is None and fit.probabilities is None
    assert dict(fit.parameters) == {"linkage": "ward"}
    for segment, centroid in enumerate(fit.centroids):
        assert np.allclose(centroid, blob_points[fit.labels == segment].mean(axis=0))


def test_the_dendrogram_is_the_small_top_of_the_tree(blob_points):
    dendrogram = fit_clusters(algorithm="hierarchical", points=blob_points, k=4, seed=0).dendrogram
    leaves = len(dendrogram.leaf_sizes)
    assert len(dendrogram.children) == len(dendrogram.heights) == len(dendrogram.sizes) == DENDROGRAM_MERGES
    assert leaves == DENDROGRAM_MERGES + 1
    assert sum(dendrogram.leaf_sizes) == dendrogram.sizes[-1] == len(blob_points)
    assert list(dendrogram.heights) == sorted(dendrogram.heights)
    children = [node for pair in dendrogram.children for node in pair]
    assert sorted(children) == list(range(leaves + DENDROGRAM_MERGES - 1))  # each node joins once, root last
    node_sizes = list(dendrogram.leaf_sizes)
    for (left, right), size in zip(dendrogram.children, dendrogram.sizes, strict=True):
        assert left < len(node_sizes) and right < len(node_sizes)
        assert node_sizes[left] + node_sizes[right] == size
        node_sizes.append(size)


def test_the_last_three_merges_join_the_four_blobs_far_above_the_rest(blob_points):
    heights = fit_clusters(algorithm="hierarchical", points=blob_points, k=4, seed=0).dendrogram.heights
    assert min(heights[-3:]) > 5 * max(heights[:-3])


def test_a_sampled_tree_labels_every_row_by_the_nearest_centroid(blob_points):
    fit = fit_clusters(
        algorithm="hierarchical",
        points=blob_points,
        k=4,
        seed=0,
        parameters=AlgorithmParameters(fit_sample_size=100),
    )
    assert fit.fitted_on == 100
    assert sum(fit.dendrogram.leaf_sizes) == 100
    assert (fit.labels >= 0).all()
    assert adjusted_rand_score(BLOB_TRUTH, fit.labels) == 1.0


def test_same_seed_gives_identical_labels(blob_points):
    parameters = AlgorithmParameters(fit_sample_size=200)
    first = fit_clusters(algorithm="hierarchical", points=blob_points, k=5, seed=4, parameters=parameters)
    second = fit_clusters(algorithm="hierarchical", points=blob_points, k=5, seed=4, parameters=parameters)
    assert_array_equal(first.labels, second.labels)


def test_the_k_sweep_cuts_one_tree(blob_points, monkeypatch):
    built = []
    real_ward_tree = choosing_k.ward_tree

    def counting_ward_tree(**kwargs):
        built.append(len(kwargs["points"]))
        return real_ward_tree(**kwargs)

    monkeypatch.setattr(choosing_k, "ward_tree", counting_ward_tree)
    sweep = sweep_k(
        points=blob_points,
        k_range=(2, 8),
        algorithm="hierarchical",
        seed=0,
        sample_size=20_000,
        silhouette_sample_size=5_000,
    )
    assert built == [600]
    assert sweep.recommended_k == 4 and "K=4" in sweep.reason
    assert sweep.bics is None and sweep.knee == 4
    assert list(sweep.inertias) == sorted(sweep.inertias, reverse=True)


def test_the_sweep_fits_no_more_rows_than_the_tree_is_built_on(blob_points):
    sweep = sweep_k(
        points=blob_points,
        k_range=(2, 6),
        algorithm="hierarchical",
        seed=0,
        sample_size=20_000,
        silhouette_sample_size=5_000,
        parameters=AlgorithmParameters(fit_sample_size=300),
    )
    assert sweep.sample_size == 300


@pytest.mark.parametrize("k", [2, 4, 7])
def test_cutting_the_tree_gives_k_segments(blob_points, k):
    fit = fit_clusters(algorithm="hierarchical", points=blob_points, k=k, seed=0)
    assert len(fit.centroids) == k and sorted(set(fit.labels)) == list(range(k))
