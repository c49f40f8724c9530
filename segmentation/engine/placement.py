"""Placing a new customer in an existing segmentation, from stored scaler parameters and centroids."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .errors import InvalidDataError, InvalidParameterError
from .features import FEATURES, encode_features
from .scaling import ScalerParams


@dataclass(frozen=True)
class Placement:
    """The nearest segment and the distance to its centroid, in scaled space."""

    segment: int
    distance: float


def place_point(
    *, values: Mapping[str, float | str], scaler: ScalerParams, centroids: ArrayLike
) -> Placement:
    """Nearest centroid to one customer's raw values (gender as 'female', 'male' or 'other').

    Every feature of the run needs a value. Values of built-in features the run did not use
    are ignored; other names are refused. Equal distances go to the lower segment number.
    """
    known_features = [*FEATURES, *(feature for feature in scaler.features if feature not in FEATURES)]
    unknown = sorted(set(values) - set(known_features))
    if unknown:
        known = ", ".join(known_features)
        raise InvalidDataError(f"Unknown feature(s): {', '.join(unknown)}; known features are {known}.")
    missing = [feature for feature in scaler.features if feature not in values]
    if missing:
        raise InvalidDataError(f"A value is needed for: {', '.join(missing)}.")
    row = pd.DataFrame([{feature: values[feature] for feature in scaler.features}])
    segments, distances = place_customers(customers=row, scaler=scaler, centroids=centroids)
    return Placement(segment=int(segments[0]), distance=float(distances[0]))


def place_customers(
    *, customers: pd.DataFrame, scaler: ScalerParams, centroids: ArrayLike
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Nearest centroid and its distance for every row of `customers` (columns as in a run)."""
    centers = np.asarray(centroids, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0 or centers.shape[1] != len(scaler.columns):
        raise InvalidParameterError(
            f"The centroids should have one row per segment and {len(scaler.columns)} columns "
            f"({', '.join(scaler.columns)}); got shape {centers.shape}."
        )
    points = scaler.transform(raw=encode_features(customers=customers, features=scaler.features))
    all_distances = np.linalg.norm(points[:, np.newaxis, :] - centers[np.newaxis, :, :], axis=2)
    segments = np.argmin(all_distances, axis=1)
    return segments, all_distances[np.arange(len(points)), segments]
