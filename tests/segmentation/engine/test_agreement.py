import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

from segmentation.engine.agreement import RunStanding, adjusted_rand_from_table, recommend_run


@pytest.mark.parametrize("seed", range(5))
def test_agreement_from_the_table_equals_the_adjusted_rand_index_of_the_labels(seed):
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 5, 1_000)
    second = np.where(rng.random(1_000) < 0.7, first, rng.integers(0, 4, 1_000))

    table = contingency_matrix(first, second)

    assert adjusted_rand_from_table(table) == pytest.approx(adjusted_rand_score(first, second))


def test_identical_groupings_agree_fully_whatever_their_numbers():
    assert adjusted_rand_from_table([[30, 0], [0, 70]]) == 1.0
    assert adjusted_rand_from_table([[0, 30], [70, 0]]) == 1.0
    assert adjusted_rand_from_table([[100]]) == 1.0


def standing(run_id, *, structure=True, doubtful=0, stability=0.9, silhouette=0.5):
    return RunStanding(
        run_id=run_id,
        has_structure=structure,
        doubtful_segments=doubtful,
        stability=stability,
        silhouette=silhouette,
    )


def test_natural_groups_come_first_then_sound_segments_then_enough_stability_then_silhouette():
    assert recommend_run([standing(1, structure=False, silhouette=0.9), standing(2)])[0] == 2
    assert recommend_run([standing(1, doubtful=1, stability=1.0), standing(2, stability=0.8)])[0] == 2
    assert recommend_run([standing(1, stability=0.95, silhouette=0.3), standing(2, stability=0.6)])[0] == 1
    assert (
        recommend_run(
            [standing(1, stability=1.0, silhouette=0.5), standing(2, stability=0.99, silhouette=0.63)]
        )[0]
        == 2
    )
    assert recommend_run([standing(1, silhouette=0.4), standing(2, silhouette=0.6)])[0] == 2
    assert recommend_run([standing(1), standing(2)])[0] == 2  # all else equal, the newer


def test_the_reason_says_what_made_the_difference():
    run_id, reason = recommend_run(
        [standing(3, structure=False), standing(4, stability=0.97, silhouette=0.55)]
    )

    assert run_id == 4
    assert reason == (
        "Activate run 4: its customers form natural groups, none of its segments is unstable or tiny, "
        "its segments come back when customers are re-sampled (ARI 0.97), silhouette 0.55."
    )
    assert "read its segments as bands" in recommend_run([standing(5, structure=False)])[1]
