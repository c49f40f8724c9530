import numpy as np
import pytest

from segmentation.engine import InvalidParameterError, SegmentationConfig


def test_defaults_are_valid():
    config = SegmentationConfig()
    assert config.features == ("annual_income", "spending_score")
    assert (config.algorithm, config.k, config.k_range, config.scaling) == (
        "kmeans",
        None,
        (2, 10),
        "standard",
    )


def test_lists_from_json_are_stored_as_tuples():
    config = SegmentationConfig(features=["age", "gender"], k_range=[3, 6], k=np.int64(4))
    assert (config.features, config.k_range) == (("age", "gender"), (3, 6))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"features": ()}, "Choose at least one feature"),
        ({"features": ("income",)}, "Unknown feature\\(s\\): income; choose from annual_income"),
        ({"features": ("age", "age")}, "only once"),
        ({"algorithm": "spectral"}, "Unknown algorithm 'spectral'"),
        ({"scaling": "robust"}, "Unknown scaling 'robust'"),
        ({"k": 1}, "K must be a whole number from 2 to 50, not 1"),
        ({"k": 51}, "K must be a whole number from 2 to 50, not 51"),
        ({"k": 2.5}, "K must be a whole number"),
        ({"k": True}, "K must be a whole number"),
        ({"k_range": (5, 3)}, "The K range must be two whole numbers"),
        ({"k_range": (1, 4)}, "The K range must be two whole numbers"),
        ({"k_range": (2,)}, "The K range must be two whole numbers"),
        ({"k_range": 5}, "The K range must be two whole numbers"),
        ({"k_range": (2, 51)}, "The K range must be two whole numbers from 2 to 50"),
        ({"seed": -1}, "The seed must be a whole number"),
        ({"seed": 2**31}, "The seed must be a whole number from 0 to 2,147,483,647"),
        ({"sweep_sample_size": 10}, "The sweep sample size must be a whole number, at least 100"),
        ({"silhouette_sample_size": 0}, "The silhouette sample size must be a whole number, at least 100"),
    ],
)
def test_invalid_settings_are_refused_in_plain_language(settings, message):
    with pytest.raises(InvalidParameterError, match=message):
        SegmentationConfig(**settings)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidParameterError, match="Unknown algorithm.*Unknown scaling"):
        SegmentationConfig(algorithm="x", scaling="y")
