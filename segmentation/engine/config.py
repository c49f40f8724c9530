"""The settings of one segmentation run, checked when the config is created."""

from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral
from typing import Any

from .algorithms import ALGORITHMS
from .errors import InvalidParameterError
from .features import FEATURES
from .scaling import SCALINGS

MIN_SAMPLE_SIZE = 100


@dataclass(frozen=True)
class SegmentationConfig:
    """What to segment on and how.

    k=None chooses K automatically within k_range (both ends included). The K sweep clusters
    a seeded sample of at most sweep_sample_size rows, silhouette always uses at most
    silhouette_sample_size rows, and the final fit uses every row. Lists are accepted for
    features and k_range (e.g. from JSON) and stored as tuples.
    """

    features: tuple[str, ...] = ("annual_income", "spending_score")
    algorithm: str = "kmeans"
    k: int | None = None
    k_range: tuple[int, int] = (2, 10)
    scaling: str = "standard"
    seed: int = 0
    sweep_sample_size: int = 20_000
    silhouette_sample_size: int = 5_000

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", _as_tuple(self.features))
        object.__setattr__(self, "k_range", _as_tuple(self.k_range))
        problems = _problems(self)
        if problems:
            raise InvalidParameterError(" ".join(problems))


def _problems(config: SegmentationConfig) -> list[str]:
    problems = []
    unknown = [str(feature) for feature in config.features if feature not in FEATURES]
    if not config.features:
        problems.append("Choose at least one feature.")
    if unknown:
        problems.append(f"Unknown feature(s): {', '.join(unknown)}; choose from {', '.join(FEATURES)}.")
    if len(set(config.features)) != len(config.features):
        problems.append("Each feature can be chosen only once.")
    if config.algorithm not in ALGORITHMS:
        problems.append(f"Unknown algorithm {config.algorithm!r}; choose one of {', '.join(ALGORITHMS)}.")
    if config.scaling not in SCALINGS:
        problems.append(f"Unknown scaling {config.scaling!r}; choose one of {', '.join(SCALINGS)}.")
    if config.k is not None and not (_is_int(config.k) and config.k >= 2):
        problems.append(f"K must be a whole number of at least 2, not {config.k!r}.")
    low_high = config.k_range
    if not (len(low_high) == 2 and all(map(_is_int, low_high)) and 2 <= low_high[0] < low_high[1]):
        problems.append(
            "The K range must be two whole numbers, the first at least 2 and below the second, "
            f"not {low_high!r}."
        )
    if not (_is_int(config.seed) and config.seed >= 0):
        problems.append(f"The seed must be a whole number of at least 0, not {config.seed!r}.")
    for name in ("sweep_sample_size", "silhouette_sample_size"):
        size = getattr(config, name)
        if not (_is_int(size) and size >= MIN_SAMPLE_SIZE):
            label = name.replace("_", " ")
            problems.append(f"The {label} must be a whole number, at least {MIN_SAMPLE_SIZE}, not {size!r}.")
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _as_tuple(value: Any) -> tuple[Any, ...]:
    """A list becomes a tuple; a lone string or number becomes a one-item tuple rather than failing."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)
