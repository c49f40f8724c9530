"""Fitting a seeded sample and extending its labels to every other row.

DBSCAN, HDBSCAN and Ward clustering cost more than linear time (or memory) in the rows fitted, so
above a documented size they fit a seeded sample. The fitted rows keep their labels; each other row
takes the label of its nearest anchor (a core point, a fitted row or a centroid) when it lies
within that anchor's reach, and is an outlier otherwise.
"""

import numpy as np
from numpy.typing import NDArray

from ..sampling import sample_indices
from .fits import OUTLIER, AlgorithmParameters

# KD-tree queries on a million rows stay within a few tens of MB when made in chunks of this size.
QUERY_CHUNK_ROWS = 200_000


def fitted_rows(*, n: int, parameters: AlgorithmParameters, default_size: int, seed: int) -> NDArray[np.intp]:
    """The rows to fit: all n up to the fit sample size (given, else `default_size`), else a seeded sample."""
    return sample_indices(n=n, size=parameters.fit_sample_size or default_size, seed=seed)


def fitted_on(*, rows: NDArray[np.intp], n: int) -> int | None:
    """The ClusterFit.fitted_on value: the sample size, or None when every row was fitted."""
    return len(rows) if len(rows) < n else None


def k_distances(*, points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """Each row's distance to its k-th nearest row, itself counted first (as DBSCAN and HDBSCAN count)."""
    from sklearn.neighbors import NearestNeighbors

    k = min(k, len(points))
    return NearestNeighbors(n_neighbors=k).fit(points).kneighbors(points)[0][:, -1]


def extend_labels(
    *,
    points: NDArray[np.float64],
    rows: NDArray[np.intp],
    row_labels: NDArray[np.intp],
    anchors: NDArray[np.float64],
    anchor_labels: NDArray[np.intp],
    reach: NDArray[np.float64],
) -> NDArray[np.intp]:
    """Every row's label: the fitted rows' own, the others' nearest anchor's when within its reach."""
    from sklearn.neighbors import KDTree

    labels = np.full(len(points), OUTLIER, dtype=np.intp)
    labels[rows] = row_labels
    others = np.ones(len(points), dtype=bool)
    others[rows] = False
    if not others.any() or len(anchors) == 0:
        return labels
    tree = KDTree(anchors)
    other_rows = np.flatnonzero(others)
    for start in range(0, len(other_rows), QUERY_CHUNK_ROWS):
        chunk = other_rows[start : start + QUERY_CHUNK_ROWS]
        distance, nearest = (column[:, 0] for column in tree.query(points[chunk], k=1))
        labels[chunk] = np.where(distance <= reach[nearest], anchor_labels[nearest], OUTLIER)
    return labels
