"""The settings of one segmentation run, checked when the config is created.

This module is the one statement of what a run may be asked for: the K limits, the default
K range, seed and features, the scalings and the algorithms. The portal's form, the API's
serializer and the ``segment`` command derive their choices, bounds and defaults from it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

from .algorithms import ALGORITHMS, DEFAULT_PARAMETERS, AlgorithmParameters
from .errors import InvalidParameterError
from .features import CUSTOM_FEATURE_NAME, FEATURE_LABELS, FEATURES
from .scaling import SCALINGS

K_LIMITS = (2, 50)
"""Every K, fixed or an end of the K range, lies within these (both included)."""
DEFAULT_K_RANGE = (2, 10)
DEFAULT_FEATURES = ("annual_income", "spending_score")
DEFAULT_ALGORITHM = "kmeans"
DEFAULT_SCALING = "standard"
DEFAULT_SEED = 42
MAX_SEED = 2**31 - 1
MIN_SAMPLE_SIZE = 100
DEFAULT_STABILITY_RESAMPLES = 10
DEFAULT_MIN_SEGMENT_SHARE = 0.02
DEFAULT_MIN_SEGMENT_SIZE = 10
DEFAULT_SWEEP_SAMPLE_SIZE = 5_000
"""Rows the K sweep fits at each K. Its curve needs the shape of the data, not every row: on the
demo book, blobs and uniform noise, sweeps of 5,000 rows recommend the K most 20,000-row sweeps
recommend as often as those do, for K-Means and Gaussian mixtures, in about half the time
(bench/README.md, "How many rows the K sweep needs")."""


@dataclass(frozen=True)
class SegmentationConfig:
    """What to segment on and how.

    k=None chooses K automatically within k_range (both ends included). The K sweep clusters
    a seeded sample of at most sweep_sample_size rows, silhouette always uses at most
    silhouette_sample_size rows, and the final fit uses every row. Lists are accepted for
    features and k_range (e.g. from JSON) and stored as tuples. custom_features declares numeric
    features beyond the built-in ones (name -> label, e.g. the mall's visits_per_month); the
    customers' frame must then carry a column of that name. parameters holds the settings of
    the algorithms that have them (DBSCAN's eps and min_samples, HDBSCAN's min_cluster_size);
    DBSCAN and HDBSCAN find the number of segments themselves, so k must stay None. Stability re-clusters
    stability_resamples subsets; a segment below min_segment_share of the customers or
    min_segment_size customers is flagged tiny.
    """

    features: tuple[str, ...] = DEFAULT_FEATURES
    algorithm: str = DEFAULT_ALGORITHM
    k: int | None = None
    k_range: tuple[int, int] = DEFAULT_K_RANGE
    scaling: str = DEFAULT_SCALING
    seed: int = DEFAULT_SEED
    sweep_sample_size: int = DEFAULT_SWEEP_SAMPLE_SIZE
    silhouette_sample_size: int = 5_000
    custom_features: Mapping[str, str] = field(default_factory=dict)
    parameters: AlgorithmParameters = DEFAULT_PARAMETERS
    stability_resamples: int = DEFAULT_STABILITY_RESAMPLES
    min_segment_share: float = DEFAULT_MIN_SEGMENT_SHARE
    min_segment_size: int = DEFAULT_MIN_SEGMENT_SIZE

    @property
    def labels(self) -> dict[str, str]:
        """Every feature this config may name, built-in and custom, with its label."""
        return {**FEATURE_LABELS, **self.custom_features}

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", _as_tuple(self.features))
        object.__setattr__(self, "k_range", _as_tuple(self.k_range))
        problems = _problems(self)
        if problems:
            raise InvalidParameterError(" ".join(problems))


def _problems(config: SegmentationConfig) -> list[str]:
    problems = _custom_feature_problems(config.custom_features)
    known = config.labels
    unknown = [str(feature) for feature in config.features if feature not in known]
    if not config.features:
        problems.append("Choose at least one feature.")
    if unknown:
        problems.append(f"Unknown feature(s): {', '.join(unknown)}; choose from {', '.join(known)}.")
    if len(set(config.features)) != len(config.features):
        problems.append("Each feature can be chosen only once.")
    if config.algorithm not in ALGORITHMS:
        problems.append(f"Unknown algorithm {config.algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
    else:
        problems += _algorithm_problems(config)
    if config.scaling not in SCALINGS:
        problems.append(f"Unknown scaling {config.scaling!r}; choose one of {', '.join(SCALINGS)}.")
    lowest_k, highest_k = K_LIMITS
    if config.k is not None and not (_is_int(config.k) and lowest_k <= config.k <= highest_k):
        problems.append(f"K must be a whole number from {lowest_k} to {highest_k}, not {config.k!r}.")
    low_high = config.k_range
    if not (
        len(low_high) == 2
        and all(map(_is_int, low_high))
        and lowest_k <= low_high[0] < low_high[1] <= highest_k
    ):
        problems.append(
            f"The K range must be two whole numbers from {lowest_k} to {highest_k}, the first below the "
            f"second, not {low_high!r}."
        )
    if not (_is_int(config.seed) and 0 <= config.seed <= MAX_SEED):
        problems.append(f"The seed must be a whole number from 0 to {MAX_SEED:,}, not {config.seed!r}.")
    for name in ("sweep_sample_size", "silhouette_sample_size"):
        size = getattr(config, name)
        if not (_is_int(size) and size >= MIN_SAMPLE_SIZE):
            label = name.replace("_", " ")
            problems.append(f"The {label} must be a whole number, at least {MIN_SAMPLE_SIZE}, not {size!r}.")
    problems += _guard_problems(config)
    return problems


def _algorithm_problems(config: SegmentationConfig) -> list[str]:
    algorithm = ALGORITHMS[config.algorithm]
    problems = []
    if config.k is not None and not algorithm.takes_k:
        problems.append(f"{algorithm.label} finds the number of segments itself; leave K empty.")
    unused = [name for name in config.parameters.given() if name not in algorithm.parameters]
    if unused:
        problems.append(
            f"{algorithm.label} does not use {', '.join(unused).replace('_', ' ')}; leave it empty."
        )
    return problems


def _guard_problems(config: SegmentationConfig) -> list[str]:
    problems = []
    if not (_is_int(config.stability_resamples) and 2 <= config.stability_resamples <= 100):
        problems.append(f"Stability needs 2 to 100 resamples, not {config.stability_resamples!r}.")
    if not (isinstance(config.min_segment_share, int | float) and 0 <= config.min_segment_share < 1):
        problems.append(
            f"The smallest segment share must be from 0 to below 1, not {config.min_segment_share!r}."
        )
    if not (_is_int(config.min_segment_size) and config.min_segment_size >= 0):
        problems.append(f"The smallest segment size must be a whole number, not {config.min_segment_size!r}.")
    return problems


def _custom_feature_problems(custom_features: Mapping[str, str]) -> list[str]:
    problems = []
    for name in custom_features:
        if name in FEATURES:
            problems.append(f"The custom feature {name!r} has the name of a built-in feature.")
        elif not (isinstance(name, str) and CUSTOM_FEATURE_NAME.match(name)):
            problems.append(
                f"The custom feature name {name!r} must be lower-case letters, digits and underscores."
            )
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    """A list becomes a tuple; a lone string or number becomes a one-item tuple rather than failing."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)
