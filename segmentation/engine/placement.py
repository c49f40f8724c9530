"""Placing a new customer in an existing segmentation, from stored scaler parameters and centroids."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

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

    Every feature of the run needs a value. Values of known features the run did not use
    are ignored; unknown names are refused. Equal distances go to the lower segment number.
    """
    unknown = sorted(set(values) - set(FEATURES))
    if unknown:
        known = ", ".join(FEATURES)
        raise InvalidDataError(f"Unknown feature(s): {', '.join(unknown)}; known features are {known}.")
    missing = [feature for feature in scaler.features if feature not in values]
    if missing:
        raise InvalidDataError(f"A value is needed for: {', '.join(missing)}.")
    centers = np.asarray(centroids, dtype=np.float64)
    if centers.ndim != 2 or len(centers) == 0 or centers.shape[1] != len(scaler.columns):
        raise InvalidParameterError(
            f"The centroids should have one row per segment and {len(scaler.columns)} columns "
            f"({', '.join(scaler.columns)}); got shape {centers.shape}."
        )
    row = pd.DataFrame([{feature: values[feature] for feature in scaler.features}])
    point = scaler.transform(raw=encode_features(customers=row, features=scaler.features))[0]
    distances = np.linalg.norm(centers - point, axis=1)
    segment = int(np.argmin(distances))
    return Placement(segment=segment, distance=float(distances[segment]))
