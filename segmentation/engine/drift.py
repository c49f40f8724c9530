"""Population drift: how far the customers' distribution of a feature has moved from the one a run
was fitted on, as a population stability index (PSI).

The reference is the run's stored percentiles (``profiles.PopulationSummary``): its deciles cut the
feature into ten bins holding a tenth of the customers each (fewer bins where values tie), and
the reference share of each bin is read off the percentiles. PSI = sum over bins of
(now - then) x ln(now / then). Its usual reading: below 0.1 no real change, 0.1 to 0.25 a moderate
shift, above 0.25 a significant one, worth re-segmenting for.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

PSI_MODERATE = 0.1
PSI_SIGNIFICANT = 0.25
EMPTY_BIN_SHARE = 1e-4
"""A bin nobody is in counts as this share: PSI's logarithm needs one."""


def population_stability(*, reference_percentiles: Sequence[float], values: NDArray[np.float64]) -> float:
    """The PSI of ``values`` (the feature now) against the distribution its 101 percentiles describe."""
    percentiles = np.asarray(reference_percentiles, dtype=np.float64)
    edges = np.unique(percentiles[10:100:10])
    then = np.diff(np.concatenate([[0.0], _share_at_or_below(percentiles, edges), [1.0]]))
    now = np.diff(np.concatenate([[0.0], _shares_now(values, edges), [1.0]]))
    then, now = np.maximum(then, EMPTY_BIN_SHARE), np.maximum(now, EMPTY_BIN_SHARE)
    return float(np.sum((now - then) * np.log(now / then)))


def population_drift(*, population: Mapping[str, Mapping], customers: pd.DataFrame) -> dict[str, dict]:
    """Each feature of a stored population summary (feature -> {"percentiles": [...], ...}) that
    ``customers`` has: {"psi": its population stability index now, "level": ``drift_level``}."""
    drift = {}
    for feature, summary in population.items():
        if feature in customers.columns:
            psi = population_stability(
                reference_percentiles=summary["percentiles"], values=customers[feature].to_numpy(dtype=float)
            )
            drift[feature] = {"psi": round(psi, 4), "level": drift_level(psi)}
    return drift


def _share_at_or_below(percentiles: NDArray[np.float64], edges: NDArray[np.float64]) -> NDArray[np.float64]:
    """The reference share at or below each edge: the last percentile not above it, over 100."""
    return (np.searchsorted(percentiles, edges, side="right") - 1) / 100


def _shares_now(values: NDArray[np.float64], edges: NDArray[np.float64]) -> NDArray[np.float64]:
    ordered = np.sort(values[~np.isnan(values)])
    if not len(ordered):
        return np.zeros(len(edges))
    return np.searchsorted(ordered, edges, side="right") / len(ordered)


def drift_level(psi: float) -> str:
    """``none``, ``moderate`` or ``significant``."""
    if psi >= PSI_SIGNIFICANT:
        return "significant"
    return "moderate" if psi >= PSI_MODERATE else "none"
