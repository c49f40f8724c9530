"""Describing segments in original units, and rating numeric features low / mid / high.

Level rule: the population's tertiles (33rd and 67th percentiles) of a feature cut it into
thirds; a segment is low when its mean is below the 33rd percentile, high when above the
67th, mid otherwise.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .features import GENDERS, is_numeric

LEVELS = ("low", "mid", "high")


@dataclass(frozen=True)
class LevelBand:
    """The population's tertiles of one numeric feature."""

    low_below: float
    high_above: float

    def level_of(self, *, value: float) -> str:
        if value < self.low_below:
            return "low"
        if value > self.high_above:
            return "high"
        return "mid"


@dataclass(frozen=True)
class SegmentProfile:
    """One segment in original units.

    `means`, `medians` and `levels` cover the run's numeric features; `gender_shares`
    (share of each gender, summing to 1) is None when gender is not a feature of the run.
    """

    index: int
    size: int
    share: float
    means: Mapping[str, float]
    medians: Mapping[str, float]
    levels: Mapping[str, str]
    gender_shares: Mapping[str, float] | None


def level_bands(*, customers: pd.DataFrame, features: Sequence[str]) -> dict[str, LevelBand]:
    return {
        feature: LevelBand(
            low_below=float(np.quantile(customers[feature], 1 / 3)),
            high_above=float(np.quantile(customers[feature], 2 / 3)),
        )
        for feature in features
        if is_numeric(feature)
    }


def profile_segments(
    *,
    customers: pd.DataFrame,
    features: Sequence[str],
    labels: NDArray[np.intp],
    k: int,
    bands: Mapping[str, LevelBand],
) -> tuple[SegmentProfile, ...]:
    numeric = [feature for feature in features if is_numeric(feature)]
    groups = customers[numeric].groupby(labels)
    means, medians = groups.mean(), groups.median()
    sizes = np.bincount(labels, minlength=k)
    genders = _gender_shares(gender=customers["gender"], labels=labels) if "gender" in features else None
    profiles = []
    for segment in range(k):
        segment_means = {feature: float(means.at[segment, feature]) for feature in numeric}
        levels = {feature: bands[feature].level_of(value=mean) for feature, mean in segment_means.items()}
        profiles.append(
            SegmentProfile(
                index=segment,
                size=int(sizes[segment]),
                share=float(sizes[segment] / len(labels)),
                means=segment_means,
                medians={feature: float(medians.at[segment, feature]) for feature in numeric},
                levels=levels,
                gender_shares=None if genders is None else genders.loc[segment].to_dict(),
            )
        )
    return tuple(profiles)


def _gender_shares(*, gender: pd.Series, labels: NDArray[np.intp]) -> pd.DataFrame:
    shares = pd.crosstab(labels, gender.to_numpy(), normalize="index")
    return shares.reindex(columns=list(GENDERS), fill_value=0.0)


@dataclass(frozen=True)
class PopulationSummary:
    """One numeric feature over the whole population: mean, median and its 101 percentiles."""

    mean: float
    median: float
    percentiles: tuple[float, ...]

    def rank_of(self, *, value: float) -> float:
        """The percentile rank (0-100) of ``value`` among all customers, read off the percentiles."""
        return float(np.interp(value, self.percentiles, np.arange(101)))


def summarise_population(*, customers: pd.DataFrame, features: Sequence[str]) -> dict[str, PopulationSummary]:
    """Mean, median and percentiles of each of the numeric ``features`` the customers have, so one
    customer can be placed among all. A feature counts only the customers who have a value
    (behaviour features exist only for customers with purchases); a feature nobody has is left out."""
    summaries = {}
    for feature in features:
        if feature not in customers.columns or not is_numeric(feature):
            continue
        values = customers[feature].dropna().to_numpy(dtype=float)
        if len(values):
            summaries[feature] = PopulationSummary(
                mean=float(values.mean()),
                median=float(np.median(values)),
                percentiles=tuple(float(value) for value in np.percentile(values, np.arange(101))),
            )
    return summaries
