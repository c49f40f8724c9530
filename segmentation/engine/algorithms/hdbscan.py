"""HDBSCAN: the most persistent dense groups of at least min_cluster_size rows; the rest are outliers.

min_cluster_size is the one parameter. Its default is MIN_CLUSTER_SHARE of the rows fitted, at least
MIN_CLUSTER_FLOOR; being a share, it means the same on a sample as on every row. Measured here: on
the 200 Mall Customers (income and spending) 5 gives 6 segments and 13.5% outliers, 10 only 3
segments and 29%; on 20,000 synthetic mall customers 1% (200) finds their five groups.

HDBSCAN's min_samples (how many neighbours make a row dense) is not scikit-learn's default, equal to
min_cluster_size, but the smaller of that and DBSCAN's default min_samples: on those 20,000 customers
the same five groups then leave 6% of them outliers rather than 11% (12% rather than 23% with age),
and the rows' densities cost 20 neighbours each rather than 200. Small data are unchanged.
"""

import math

import numpy as np
from numpy.typing import NDArray

from .dbscan import default_min_samples
from .extension import extend_labels, fitted_on, fitted_rows, k_distances
from .fits import OUTLIER, AlgorithmParameters, ClusterFit, NoSegmentsFoundError, fit_from_labels

HDBSCAN_FIT_SAMPLE_SIZE = 20_000
"""Rows HDBSCAN fits at most: its minimum spanning tree costs time in their square (1.8 s for
20,000 rows here, on one thread); the rest are extended."""
MIN_CLUSTER_SHARE = 0.01
MIN_CLUSTER_FLOOR = 5


def fit_hdbscan(
    *, points: NDArray[np.float64], k: int | None, seed: int, parameters: AlgorithmParameters
) -> ClusterFit:
    """HDBSCAN on at most HDBSCAN_FIT_SAMPLE_SIZE seeded rows.

    Every other row takes the label of its nearest fitted row, outlier or not, when it lies within
    that row's core distance (its distance to its min_samples-th neighbour, the radius HDBSCAN
    measures density by), and is an outlier otherwise. Taking an outlier's label matters: HDBSCAN
    leaves out rows of the thin fringes and bridges between segments whose neighbours stand close
    by. Joining only clustered rows, the rest of 200,000 synthetic mall customers had 3.6% outliers
    against 6.7% among the rows fitted; with every fitted row as a neighbour, 7.3%.
    """
    from sklearn.cluster import HDBSCAN

    rows = fitted_rows(n=len(points), parameters=parameters, default_size=HDBSCAN_FIT_SAMPLE_SIZE, seed=seed)
    sample = points[rows]
    min_cluster_size = parameters.min_cluster_size or max(
        MIN_CLUSTER_FLOOR, math.ceil(MIN_CLUSTER_SHARE * len(sample))
    )
    min_samples = min(min_cluster_size, default_min_samples(rows=len(sample), features=points.shape[1]))
    sample_labels = (
        HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True).fit(sample).labels_
        if min_cluster_size <= len(sample)
        else np.full(len(sample), OUTLIER)
    )
    if (sample_labels < 0).all():
        raise NoSegmentsFoundError(
            f"HDBSCAN found no segment of at least {min_cluster_size:,} customers among the "
            f"{len(sample):,} fitted: every customer is an outlier. Try a smaller minimum cluster size."
        )
    labels = extend_labels(
        points=points,
        rows=rows,
        row_labels=sample_labels,
        anchors=sample,
        anchor_labels=sample_labels,
        reach=k_distances(points=sample, k=min_samples),
    )
    return fit_from_labels(
        points=points,
        labels=labels,
        fitted_on=fitted_on(rows=rows, n=len(points)),
        parameters={"min_cluster_size": min_cluster_size, "min_samples": min_samples},
    )
