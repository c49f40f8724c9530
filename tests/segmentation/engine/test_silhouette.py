import numpy as np
import pytest

from segmentation.engine.sampling import sample_indices
from segmentation.engine.silhouette import silhouette_scores, silhouette_scores_of_labelings


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


def test_the_scores_are_scikit_learns_for_every_labeling_of_one_sample():
    from sklearn.metrics import silhouette_samples

    rng = np.random.default_rng(3)
    points = rng.normal(size=(1_500, 3))
    by_first_axis = (points[:, 0] > 0).astype(int)
    with_a_lone_member = np.where(np.arange(1_500) == 7, 2, by_first_axis)
    in_five = rng.integers(0, 5, 1_500)
    labelings = [(by_first_axis, 2), (with_a_lone_member, 3), (in_five, 5)]
    scores = silhouette_scores_of_labelings(points=points, labelings=labelings, sample_size=1_500, seed=0)
    for (labels, k), score in zip(labelings, scores, strict=True):
        expected = silhouette_samples(points, labels)
        assert score.overall == pytest.approx(expected.mean(), abs=1e-9)
        for segment in range(k):
            assert score.per_segment[segment] == pytest.approx(expected[labels == segment].mean(), abs=1e-9)


def test_an_undefined_labeling_does_not_disturb_the_others():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(400, 2))
    split = (points[:, 1] > 0).astype(int)
    undefined, defined = silhouette_scores_of_labelings(
        points=points, labelings=[(np.zeros(400, int), 2), (split, 2)], sample_size=400, seed=0
    )
    assert undefined.overall is None
    assert defined.overall == pytest.approx(
        silhouette_scores(points=points, labels=split, k=2, sample_size=400, seed=0).overall
    )
