"""Silhouette on a bounded seeded sample: its cost grows with the sample squared, never with N."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .sampling import sample_indices

# sklearn computes the sample's pairwise distances in chunks of this many MiB; its default
# (1 GiB) would hold a 5,000-row sample's whole 200 MB distance matrix at once.
WORKING_MEMORY_MIB = 64


@dataclass(frozen=True)
class SilhouetteScores:
    """Mean silhouette overall and per segment, on `sample_size` sampled rows.

    A score is None where it is undefined: fewer than two segments (or as many segments
    as rows) in the sample, or, per segment, no sampled member.
    """

    overall: float | None
    per_segment: tuple[float | None, ...]
    sample_size: int


def silhouette_scores(
    *, points: NDArray[np.float64], labels: NDArray[np.intp], k: int, sample_size: int, seed: int
) -> SilhouetteScores:
    from sklearn import config_context
    from sklearn.metrics import silhouette_samples

    rows = sample_indices(n=len(points), size=sample_size, seed=seed)
    sampled_labels = labels[rows]
    if not 2 <= len(np.unique(sampled_labels)) < len(rows):
        return SilhouetteScores(overall=None, per_segment=(None,) * k, sample_size=len(rows))
    with config_context(working_memory=WORKING_MEMORY_MIB):
        values = silhouette_samples(points[rows], sampled_labels)
    per_segment = tuple(
        float(values[sampled_labels == segment].mean()) if (sampled_labels == segment).any() else None
        for segment in range(k)
    )
    return SilhouetteScores(overall=float(values.mean()), per_segment=per_segment, sample_size=len(rows))
