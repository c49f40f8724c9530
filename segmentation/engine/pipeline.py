"""The entry point: customers and a config (and persona rules) in, a finished segmentation out."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .algorithms import distances_to_centroids, fit_clusters, order_by_size
from .choosing_k import KSweep, sweep_k
from .config import SegmentationConfig
from .errors import NoCustomersError, TooFewCustomersError
from .features import check_variance, count_distinct_rows, encode_features
from .personas import PersonaRule, check_rules, name_segments
from .profiles import LevelBand, SegmentProfile, level_bands, profile_segments
from .scaling import ScalerParams, fit_scaler
from .silhouette import silhouette_scores
from .trust import Quality, RunWarning, SizeGuard, measure_quality, run_warnings

ProgressCallback = Callable[[int, str], None]
"""Called as (percent 0-100, step description)."""


@dataclass(frozen=True)
class SegmentDescription:
    """A segment: its profile, silhouette and stability (None if undefined), persona earned (or
    None), name, and the codes of the warnings about it (``unstable_segment``, ``tiny_segment``)."""

    profile: SegmentProfile
    silhouette: float | None
    stability: float | None
    persona: str | None
    display_name: str
    cautions: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class SegmentationResult:
    """A finished segmentation.

    Segments are numbered 0..k-1, largest first: segment s is segments[s] and centroids[s]
    (scaled space). labels[i] and distances[i] (to the own centroid, scaled space) belong to
    the i-th input row. sweep is None when K was fixed by the caller. quality holds the evidence
    (tendency, metrics, stability) and warnings what a user must read before acting.
    """

    k: int
    k_automatic: bool
    sweep: KSweep | None
    silhouette: float | None
    silhouette_sample_size: int
    inertia: float
    labels: NDArray[np.intp]
    distances: NDArray[np.float64]
    centroids: NDArray[np.float64]
    scaler: ScalerParams
    bands: Mapping[str, LevelBand]
    segments: tuple[SegmentDescription, ...]
    quality: Quality
    warnings: tuple[RunWarning, ...]


def run_segmentation(
    *,
    customers: pd.DataFrame,
    config: SegmentationConfig,
    persona_rules: Sequence[PersonaRule] = (),
    on_progress: ProgressCallback | None = None,
) -> SegmentationResult:
    """Segment `customers` (a column per feature of the config) as configured.

    on_progress is called with: 0 "Checking the data", 5 "Scaling the features",
    10 "Choosing K ..." then up to 70 once per K tried (automatic K only),
    70 "Fitting ...", 85 "Measuring silhouette", 88 "Measuring stability",
    92 "Describing and naming segments", 100 "Done".

    Raises an EngineError subclass, with a message fit for the user, when the data cannot be segmented.
    """
    report = on_progress or _ignore_progress
    report(0, "Checking the data")
    check_rules(rules=persona_rules)
    raw = _checked_features(customers=customers, config=config)

    report(5, "Scaling the features")
    scaler = fit_scaler(raw=raw, features=config.features, method=config.scaling)
    points = scaler.transform(raw=raw)

    if config.k is None:

        def k_done(done: int, total: int, k: int) -> None:
            report(10 + 60 * done // total, f"Tried K={k}, {done} of {total}")

        low, high = config.k_range
        report(10, f"Choosing K between {low} and {high}")
        sweep = sweep_k(
            points=points,
            k_range=config.k_range,
            algorithm=config.algorithm,
            seed=config.seed,
            sample_size=config.sweep_sample_size,
            silhouette_sample_size=config.silhouette_sample_size,
            on_k_done=k_done,
        )
        k = sweep.recommended_k
    else:
        sweep, k = None, config.k

    report(70, f"Fitting {k} segments on {len(points):,} customers")
    fit = order_by_size(fit=fit_clusters(algorithm=config.algorithm, points=points, k=k, seed=config.seed))

    report(85, "Measuring silhouette")
    scores = silhouette_scores(
        points=points, labels=fit.labels, k=k, sample_size=config.silhouette_sample_size, seed=config.seed
    )

    report(88, "Measuring stability")
    quality = measure_quality(
        points=points,
        labels=fit.labels,
        refit=lambda subset, seed: (
            fit_clusters(algorithm=config.algorithm, points=subset, k=k, seed=seed).labels
        ),
        seed=config.seed,
        sample_size=config.silhouette_sample_size,
        resamples=config.stability_resamples,
    )

    report(92, "Describing and naming segments")
    bands = level_bands(customers=customers, features=config.features)
    profiles = profile_segments(
        customers=customers, features=config.features, labels=fit.labels, k=k, bands=bands
    )
    names = name_segments(profiles=profiles, bands=bands, rules=persona_rules, labels=config.labels)
    warnings = run_warnings(
        quality=quality,
        sizes=[profile.size for profile in profiles],
        names=[name.display_name for name in names],
        guard=SizeGuard(min_share=config.min_segment_share, min_size=config.min_segment_size),
        fitted_on=None,
    )
    result = SegmentationResult(
        k=k,
        k_automatic=sweep is not None,
        sweep=sweep,
        silhouette=scores.overall,
        silhouette_sample_size=scores.sample_size,
        inertia=fit.inertia,
        labels=fit.labels,
        distances=distances_to_centroids(points=points, labels=fit.labels, centroids=fit.centroids),
        centroids=fit.centroids,
        scaler=scaler,
        bands=bands,
        segments=tuple(
            SegmentDescription(
                profile=profile,
                silhouette=score,
                stability=None if np.isnan(stability) else stability,
                persona=name.persona,
                display_name=name.display_name,
                cautions=tuple(warning.code for warning in warnings if warning.segment == profile.index),
            )
            for profile, score, stability, name in zip(
                profiles, scores.per_segment, quality.stability.per_segment, names, strict=True
            )
        ),
        quality=quality,
        warnings=warnings,
    )
    report(100, "Done")
    return result


def _checked_features(*, customers: pd.DataFrame, config: SegmentationConfig) -> NDArray[np.float64]:
    """The raw feature matrix, once the data is known to be segmentable as configured."""
    if len(customers) == 0:
        raise NoCustomersError("There are no customers to segment.")
    raw = encode_features(customers=customers, features=config.features, labels=config.labels)
    smallest_k = config.k_range[0] if config.k is None else config.k
    if len(customers) < smallest_k:
        counted = "1 customer" if len(customers) == 1 else f"{len(customers)} customers"
        raise TooFewCustomersError(
            f"Only {counted} to segment, but K is {smallest_k}: there cannot be more segments than customers."
        )
    check_variance(customers=customers, features=config.features, labels=config.labels)
    if config.k is not None:
        distinct = count_distinct_rows(matrix=raw)
        if distinct < config.k:
            described = ", ".join(config.labels[feature] for feature in config.features)
            raise TooFewCustomersError(
                f"K is {config.k} but the customers have only {distinct} distinct combinations of "
                f"{described}; choose K of at most {distinct}."
            )
    return raw


def _ignore_progress(percent: int, step: str) -> None:
    pass
