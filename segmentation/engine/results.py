"""What a finished segmentation returns: its segments described, and the run-level facts."""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .algorithms import Dendrogram
from .choosing_k import KSweep
from .profiles import LevelBand, SegmentProfile
from .scaling import ScalerParams
from .trust import Quality, RunWarning

OUTLIERS_NAME = "Outliers"


@dataclass(frozen=True)
class SegmentDescription:
    """A segment: its profile, silhouette and stability (None if undefined), persona earned (or
    None), name, and the codes of the warnings about it (``unstable_segment``, ``tiny_segment``).

    The outliers of a density algorithm form a group of their own (``is_outliers``): counted and
    described like a segment, but never a persona, a silhouette or a stability of theirs."""

    profile: SegmentProfile
    silhouette: float | None
    stability: float | None
    persona: str | None
    display_name: str
    cautions: tuple[str, ...]
    is_outliers: bool = False


@dataclass(frozen=True, eq=False)
class SegmentationResult:
    """A finished segmentation.

    Segments are numbered 0..k-1, largest first: segment s is segments[s] and centroids[s]
    (scaled space); when the algorithm left outliers, they are one more group, number k, last in
    ``segments`` (with no centroid). labels[i] (a group number) and distances[i] (to the nearest
    centroid, scaled space) belong to the i-th input row; probabilities[i] is the membership
    probability of its segment (Gaussian mixtures only, else None). sweep is None when K was
    fixed or the algorithm finds it. fitted_on is the size of the sample the algorithm fitted on,
    None when it fitted every row; algorithm_settings what it used (eps, min_samples...).
    """

    k: int
    k_automatic: bool
    sweep: KSweep | None
    silhouette: float | None
    silhouette_sample_size: int
    inertia: float
    labels: NDArray[np.intp]
    distances: NDArray[np.float64]
    probabilities: NDArray[np.float64] | None
    centroids: NDArray[np.float64]
    scaler: ScalerParams
    bands: Mapping[str, LevelBand]
    segments: tuple[SegmentDescription, ...]
    quality: Quality
    warnings: tuple[RunWarning, ...]
    fitted_on: int | None
    algorithm_settings: Mapping[str, float | int | str]
    dendrogram: Dendrogram | None

    @property
    def outliers(self) -> int:
        """How many customers no segment holds."""
        return sum(segment.profile.size for segment in self.segments if segment.is_outliers)
