import numpy as np
import pytest

from segmentation.engine import choosing_k, silhouette
from segmentation.engine.choosing_k import SILHOUETTE_TOLERANCE, find_knee, recommend_k, sweep_k
from segmentation.engine.config import DEFAULT_SWEEP_SAMPLE_SIZE
from segmentation.engine.errors import InvalidParameterError, TooFewCustomersError

SWEEP_ARGS = {"algorithm": "kmeans", "seed": 0, "sample_size": 20_000, "silhouette_sample_size": 5_000}


def test_well_separated_blobs_give_their_number_of_clusters(blob_points):
    calls = []
    sweep = sweep_k(
        points=blob_points, k_range=(2, 10), on_k_done=lambda *args: calls.append(args), **SWEEP_ARGS
    )
    assert sweep.recommended_k == 4
    assert sweep.ks == tuple(range(2, 11))
    assert len(sweep.inertias) == len(sweep.silhouettes) == 9
    assert "K=4" in sweep.reason
    assert calls == [(done, 9, k) for done, k in enumerate(range(2, 11), start=1)]


def test_knee_and_silhouette_agree():
    k, reason = recommend_k(ks=[2, 3, 4, 5], silhouettes=[0.3, 0.4, 0.6, 0.5], knee=4)
    assert k == 4
    assert reason == "the curve bends at K=4; silhouette 0.60 is also the highest"


def test_knee_stands_when_its_silhouette_is_close_to_the_highest():
    close = 0.6 - SILHOUETTE_TOLERANCE / 2
    k, reason = recommend_k(ks=[2, 3, 4, 5], silhouettes=[0.3, close, 0.6, 0.5], knee=3)
    assert k == 3
    assert "bends at K=3" in reason and "close to the highest (0.60 at K=4)" in reason


def test_highest_silhouette_wins_when_the_knee_scores_well_below_it():
    k, reason = recommend_k(ks=[2, 3, 4, 5], silhouettes=[0.3, 0.4, 0.6, 0.5], knee=3)
    assert k == 4
    assert reason == (
        "the curve bends at K=3, but its silhouette (0.40) is not close to the highest (0.60 at K=4), "
        "so K=4 is used"
    )


def test_without_a_knee_the_highest_silhouette_wins_and_ties_go_to_the_smaller_k():
    k, reason = recommend_k(ks=[2, 3, 4], silhouettes=[0.3, 0.5, 0.5], knee=None)
    assert k == 3
    assert reason == "the curve has no clear bend; K=3 has the highest silhouette (0.50)"


def test_undefined_silhouettes_are_skipped():
    assert recommend_k(ks=[2, 3, 4], silhouettes=[None, None, None], knee=3)[0] == 3
    assert recommend_k(ks=[2, 3, 4], silhouettes=[None, None, None], knee=None)[0] == 2
    assert recommend_k(ks=[2, 3, 4], silhouettes=[None, 0.2, 0.1], knee=None)[0] == 3


def test_find_knee_on_a_clear_elbow_and_on_too_short_a_curve():
    assert find_knee(ks=[1, 2, 3, 4, 5, 6], inertias=[100, 40, 10, 8, 7, 6]) == 3
    assert find_knee(ks=[2, 3], inertias=[10, 5]) is None


def test_k_is_capped_below_the_number_of_distinct_points():
    points = np.repeat([[0.0, 0.0], [0.0, 5.0], [5.0, 0.0], [5.0, 5.0]], 10, axis=0)
    sweep = sweep_k(points=points, k_range=(2, 10), **SWEEP_ARGS)
    assert sweep.ks == (2, 3)
    assert "K was tried only up to 3: there are just 4 distinct customers" in sweep.reason


def test_two_distinct_points_are_too_few_for_automatic_k():
    points = np.repeat([[0.0, 0.0], [1.0, 1.0]], 10, axis=0)
    with pytest.raises(TooFewCustomersError, match="only 2 distinct customers"):
        sweep_k(points=points, k_range=(2, 10), **SWEEP_ARGS)


def test_sweep_on_a_large_set_fits_and_scores_only_the_samples(monkeypatch):
    rng = np.random.default_rng(0)
    points = rng.normal(size=(200_000, 2)) + rng.integers(0, 3, (200_000, 1)) * 8
    fitted_sizes, scored = [], []
    real_fit, real_sums = choosing_k.fit_clusters, silhouette._distance_sums

    def recording_fit(**kwargs):
        fitted_sizes.append(len(kwargs["points"]))
        return real_fit(**kwargs)

    def recording_sums(sample, labelings):
        scored.append((len(sample), len(labelings)))
        return real_sums(sample, labelings)

    monkeypatch.setattr(choosing_k, "fit_clusters", recording_fit)
    monkeypatch.setattr(silhouette, "_distance_sums", recording_sums)
    sweep = sweep_k(
        points=points,
        k_range=(2, 5),
        algorithm="kmeans",
        seed=0,
        sample_size=3_000,
        silhouette_sample_size=500,
    )
    assert fitted_sizes == [3_000] * 4
    assert scored == [(500, 4)]  # every K's labels scored on one sample, its distances computed once
    assert (sweep.sample_size, sweep.silhouette_sample_size) == (3_000, 500)


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan"])
def test_a_density_algorithm_has_no_k_to_sweep(blob_points, algorithm):
    with pytest.raises(
        InvalidParameterError, match="finds the number of segments itself; it has no K to choose"
    ):
        sweep_k(points=blob_points, k_range=(2, 10), **{**SWEEP_ARGS, "algorithm": algorithm})


def test_an_unknown_algorithm_cannot_be_swept(blob_points):
    with pytest.raises(InvalidParameterError, match="Unknown algorithm 'spectral'"):
        sweep_k(points=blob_points, k_range=(2, 10), **{**SWEEP_ARGS, "algorithm": "spectral"})


def test_the_elbow_sweep_records_no_bic(blob_points):
    assert sweep_k(points=blob_points, k_range=(2, 5), **SWEEP_ARGS).bics is None


def test_the_default_sweep_sample_chooses_the_k_of_four_times_the_rows():
    rng = np.random.default_rng(3)
    centres = np.array([[0, 0], [6, 0], [0, 6], [6, 6], [3, 10], [10, 3]])
    spreads = np.array([0.4, 0.7, 1.0, 0.5, 0.8, 0.6])
    which = rng.integers(0, len(centres), 80_000)
    points = centres[which] + rng.normal(size=(80_000, 2)) * spreads[which, None]
    arguments = {**SWEEP_ARGS, "k_range": (2, 10)}

    default = sweep_k(points=points, **{**arguments, "sample_size": DEFAULT_SWEEP_SAMPLE_SIZE})
    fourfold = sweep_k(points=points, **{**arguments, "sample_size": 4 * DEFAULT_SWEEP_SAMPLE_SIZE})

    assert default.sample_size == DEFAULT_SWEEP_SAMPLE_SIZE
    assert default.recommended_k == fourfold.recommended_k == 6
