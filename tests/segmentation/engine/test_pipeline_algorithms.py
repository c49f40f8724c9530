"""Every algorithm through the whole pipeline: outliers as their own group, probabilities, the
dendrogram, sampled fits said so, and K refused where the algorithm finds it."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_moons
from sklearn.metrics import adjusted_rand_score

from segmentation.engine import (
    AlgorithmParameters,
    InvalidParameterError,
    SegmentationConfig,
    run_segmentation,
)
from tests.segmentation.engine.conftest import customers_from


def moons_with_strays() -> pd.DataFrame:
    """Two interleaved moons of 300 customers (income, spending) and 4 strays far from both."""
    points, _ = make_moons(n_samples=300, noise=0.05, random_state=0)
    strays = np.array([[3.0, 3.0], [-3.0, 3.0], [3.0, -3.0], [-3.0, -3.0]])
    return customers_from(np.concatenate([points, strays]) * 20 + 60)


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan"])
def test_density_algorithms_find_the_moons_and_leave_the_strays_as_outliers(algorithm):
    result = run_segmentation(customers=moons_with_strays(), config=SegmentationConfig(algorithm=algorithm))

    assert result.k == 2 and result.sweep is None
    outliers = result.segments[-1]
    assert outliers.is_outliers and outliers.display_name == "Outliers" and outliers.persona is None
    assert set(np.flatnonzero(result.labels == 2)) >= {300, 301, 302, 303}
    assert result.outliers == outliers.profile.size
    assert sorted(segment.profile.size for segment in result.segments[:2]) == pytest.approx([150, 150], abs=8)


def test_kmeans_cuts_the_moons_wrongly_where_dbscan_does_not():
    customers = moons_with_strays().iloc[:300]
    truth = make_moons(n_samples=300, noise=0.05, random_state=0)[1]

    kmeans = run_segmentation(customers=customers, config=SegmentationConfig(k=2))
    dbscan = run_segmentation(customers=customers, config=SegmentationConfig(algorithm="dbscan"))

    assert adjusted_rand_score(truth, kmeans.labels) < 0.5
    assert adjusted_rand_score(truth, dbscan.labels) > 0.9


def test_a_gaussian_mixture_gives_each_customer_a_probability(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(algorithm="gmm"))

    assert result.k == 4 and result.sweep.bics is not None
    assert result.probabilities.shape == (len(blob_customers),)
    assert ((result.probabilities > 0) & (result.probabilities <= 1)).all()


def test_hierarchical_runs_keep_their_dendrogram(blob_customers):
    result = run_segmentation(customers=blob_customers, config=SegmentationConfig(algorithm="hierarchical"))

    assert result.k == 4 and result.dendrogram is not None
    assert len(result.dendrogram.heights) <= 30


def test_a_fit_on_a_sample_says_so(blob_customers):
    config = SegmentationConfig(algorithm="dbscan", parameters=AlgorithmParameters(fit_sample_size=200))

    result = run_segmentation(customers=blob_customers, config=config)

    sampled = [warning for warning in result.warnings if warning.code == "sampled"]
    assert result.fitted_on == 200
    assert sampled and sampled[0].message.startswith("Fitted on 200 of 600 customers")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"algorithm": "dbscan", "k": 3}, "DBSCAN finds the number of segments itself; leave K empty"),
        ({"algorithm": "kmeans", "parameters": AlgorithmParameters(eps=0.3)}, "K-Means does not use eps"),
        ({"algorithm": "hdbscan", "parameters": AlgorithmParameters(eps=0.3)}, "HDBSCAN does not use eps"),
    ],
)
def test_settings_an_algorithm_cannot_use_are_refused(settings, message):
    with pytest.raises(InvalidParameterError, match=message):
        SegmentationConfig(**settings)
