"""Feature scaling whose fitted parameters are plain numbers, so they can be stored as JSON."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import InvalidParameterError
from .features import expand_features

Matrix = NDArray[np.float64]

# Each fitter returns per-column (offset, scale); scaled = (prepared - offset) / scale, where
# prepared is the raw value, or its signed logarithm for "log".
_FITTERS: dict[str, Callable[[Matrix], tuple[Matrix, Matrix]]] = {
    "standard": lambda raw: (raw.mean(axis=0), raw.std(axis=0)),
    "log": lambda prepared: (prepared.mean(axis=0), prepared.std(axis=0)),
    "minmax": lambda raw: (raw.min(axis=0), np.ptp(raw, axis=0)),
    "none": lambda raw: (np.zeros(raw.shape[1]), np.ones(raw.shape[1])),
}
SCALINGS = tuple(_FITTERS)
SCALING_LABELS = {
    "standard": "Standardise (mean 0, spread 1)",
    "log": "Log, then standardise (for skewed values such as spend)",
    "minmax": "Min–max (0 to 1)",
    "none": "None (original units)",
}


def _signed_log(values: Matrix) -> Matrix:
    """log(1 + |x|) with x's sign: tames long right tails (a few big spenders) and keeps refunds negative."""
    return np.sign(values) * np.log1p(np.abs(values))


def _signed_exp(values: Matrix) -> Matrix:
    return np.sign(values) * np.expm1(np.abs(values))


@dataclass(frozen=True)
class ScalerParams:
    """Fitted scaling of each expanded column: scaled = (raw - offset) / scale."""

    method: str
    features: tuple[str, ...]
    columns: tuple[str, ...]
    offsets: tuple[float, ...]
    scales: tuple[float, ...]

    def __post_init__(self) -> None:
        _check_method(self.method)
        if self.columns != expand_features(features=self.features) or not (
            len(self.offsets) == len(self.scales) == len(self.columns)
        ):
            raise InvalidParameterError("The scaler parameters do not match their features.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "features": list(self.features),
            "columns": list(self.columns),
            "offsets": list(self.offsets),
            "scales": list(self.scales),
        }

    @classmethod
    def from_dict(cls, *, data: Mapping[str, Any]) -> "ScalerParams":
        return cls(
            method=data["method"],
            features=tuple(data["features"]),
            columns=tuple(data["columns"]),
            offsets=tuple(float(value) for value in data["offsets"]),
            scales=tuple(float(value) for value in data["scales"]),
        )

    def transform(self, *, raw: Matrix) -> Matrix:
        """Raw expanded features (see `encode_features`) to scaled space."""
        prepared = _signed_log(raw) if self.method == "log" else raw
        return (prepared - np.asarray(self.offsets)) / np.asarray(self.scales)

    def inverse_transform(self, *, scaled: Matrix) -> Matrix:
        """Scaled points, e.g. centroids, back to original units."""
        prepared = scaled * np.asarray(self.scales) + np.asarray(self.offsets)
        return _signed_exp(prepared) if self.method == "log" else prepared


def fit_scaler(*, raw: Matrix, features: Sequence[str], method: str) -> ScalerParams:
    _check_method(method)
    # Column by column: numpy reduces a tall, narrow row-major matrix along its rows ~5x slower.
    prepared = np.asfortranarray(_signed_log(raw) if method == "log" else raw)
    offsets, scales = _FITTERS[method](prepared)
    # A constant column (e.g. no customer has gender 'other') keeps scale 1 rather than dividing by zero.
    scales = np.where(scales > 0, scales, 1.0)
    return ScalerParams(
        method=method,
        features=tuple(features),
        columns=expand_features(features=features),
        offsets=tuple(float(value) for value in offsets),
        scales=tuple(float(value) for value in scales),
    )


def _check_method(method: str) -> None:
    if method not in SCALINGS:
        raise InvalidParameterError(f"Unknown scaling {method!r}; choose one of {', '.join(SCALINGS)}.")
