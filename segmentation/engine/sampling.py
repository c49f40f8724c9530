"""Seeded row sampling, which keeps the cost of the K sweep and of silhouette independent of N."""

import numpy as np
from numpy.typing import NDArray


def sample_indices(*, n: int, size: int, seed: int) -> NDArray[np.intp]:
    """Sorted indices of `size` rows drawn without replacement, or of all `n` rows when n <= size."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))
