import numpy as np
import pytest

from segmentation.engine.sampling import sample_indices
from segmentation.engine.silhouette import silhouette_scores


def test_a_weak_segment_shows_as_weak():
    rng = np.random.default_rng(0)
    points = np.concatenate([rng.normal(0, 1, (100, 2)), rng.normal(20, 1, (200, 2))])
    # Segment 0 is a real blob; segments 1 and 2 cut the other blob at random.
    labels = np.concatenate([np.zeros(100, int), rng.integers(1, 3, 200)])
    scores = silhouette_scores(points=points, labels=labels, k=3, sample_size=1_000, seed=0)
    assert scores.per_segment[0] > 0.9
    assert scores.per_segment[1] < 0.1
    assert scores.per_segment[2] < 0.1
    assert scores.overall == pytest.approx(
        np.average(scores.per_segment, weights=np.bincount(labels)), abs=1e-9
    )


def test_silhouette_uses_a_bounded_sample():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(5_000, 2))
    scores = silhouette_scores(
        points=points, labels=(points[:, 0] > 0).astype(int), k=2, sample_size=300, seed=0
    )
    assert scores.sample_size == 300
    assert scores.overall is not None


def test_undefined_silhouette_is_none():
    points = np.arange(10.0).reshape(5, 2)
    scores = silhouette_scores(points=points, labels=np.zeros(5, int), k=2, sample_size=100, seed=0)
    assert scores.overall is None
    assert scores.per_segment == (None, None)


def test_a_segment_missing_from_the_sample_has_no_score():
    points = np.concatenate([np.zeros((1_000, 2)), np.ones((1_000, 2)), [[50.0, 50.0]]])
    labels = np.array([0] * 1_000 + [1] * 1_000 + [2])
    assert 2_000 not in sample_indices(n=2_001, size=200, seed=0)
    scores = silhouette_scores(points=points, labels=labels, k=3, sample_size=200, seed=0)
    assert scores.per_segment[2] is None
    assert scores.per_segment[0] == pytest.approx(1.0)
