"""What a finished segmentation returns: its segments described, and the run-level facts."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from .algorithms import ClusterFit, Dendrogram
from .choosing_k import KSweep
from .profiles import LevelBand, SegmentProfile
from .quality import Refit
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
class Segmentation:
    """Segments found, described and named, before their quality is measured
    (``measure_segmentation`` finishes it into a ``SegmentationResult``).

    points: the customers in scaled space; fit: the algorithm's clustering of them (outliers
    labelled OUTLIER); refit: a fit of a subset with the same settings, for stability. labels,
    distances, sweep, scaler and bands are as in ``SegmentationResult``; segments are described
    as there, but with no silhouette, stability or cautions yet.
    """

    points: NDArray[np.float64]
    fit: ClusterFit
    refit: Refit
    sweep: KSweep | None
    scaler: ScalerParams
    bands: Mapping[str, LevelBand]
    labels: NDArray[np.intp]
    distances: NDArray[np.float64]
    segments: tuple[SegmentDescription, ...]

    @property
    def k(self) -> int:
        return len(self.fit.centroids)


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

    def to_dict(self) -> dict:
        """The run-level parts, JSON-ready: what the run row stores beside its segments."""
        return {
            "k_sweep": asdict(self.sweep) if self.sweep else None,
            "scaler": self.scaler.to_dict(),
            "level_bands": {feature: asdict(band) for feature, band in self.bands.items()},
            "quality": self.quality.to_dict(),
            "fit_details": {
                "algorithm": dict(self.algorithm_settings),
                "fitted_on": self.fitted_on,
                "outliers": self.outliers,
                "dendrogram": asdict(self.dendrogram) if self.dendrogram else None,
            },
            "warnings": [asdict(warning) for warning in self.warnings],
        }
