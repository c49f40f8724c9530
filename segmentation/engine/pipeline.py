"""The entry point: customers and a config (and persona rules) in, a finished segmentation out."""

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .algorithms import OUTLIER, distances_to_centroids, registered
from .config import SegmentationConfig
from .errors import NoCustomersError, TooFewCustomersError
from .features import check_variance, count_distinct_rows, encode_features
from .fitting import choose_k, fit, refit_like
from .personas import PersonaRule, SegmentName, check_rules, name_segments
from .profiles import SegmentProfile, level_bands, profile_segments
from .results import OUTLIERS_NAME, Segmentation, SegmentationResult, SegmentDescription
from .scaling import fit_scaler
from .silhouette import SilhouetteScores, silhouette_scores
from .trust import Quality, RunWarning, SizeGuard, measure_quality, run_warnings

ProgressCallback = Callable[[int, str], None]
"""Called as (percent 0-100, step description)."""


def run_segmentation(
    *,
    customers: pd.DataFrame,
    config: SegmentationConfig,
    persona_rules: Sequence[PersonaRule] = (),
    on_progress: ProgressCallback | None = None,
) -> SegmentationResult:
    """Segment `customers` (a column per feature of the config) as configured: `segment_customers`,
    then `measure_segmentation`.

    on_progress is called with: 0 "Checking the data", 5 "Scaling the features",
    10 "Choosing K ..." then up to 70 once per K tried (automatic K only),
    70 "Fitting ...", 80 "Describing and naming segments", 85 "Measuring silhouette and
    stability", 100 "Done".

    Raises an EngineError subclass, with a message fit for the user, when the data cannot be segmented.
    """
    report = on_progress or _ignore_progress
    segmentation = segment_customers(
        customers=customers, config=config, persona_rules=persona_rules, on_progress=report
    )
    report(85, "Measuring silhouette and stability")
    result = measure_segmentation(segmentation=segmentation, config=config)
    report(100, "Done")
    return result


def segment_customers(
    *,
    customers: pd.DataFrame,
    config: SegmentationConfig,
    persona_rules: Sequence[PersonaRule] = (),
    on_progress: ProgressCallback | None = None,
) -> Segmentation:
    """The segments of `customers`, described and named: all of a run but its quality.

    Separate from `measure_segmentation` so that a caller can store the segments while their quality
    is measured. on_progress is called as by `run_segmentation`, up to 80.
    """
    report = on_progress or _ignore_progress
    report(0, "Checking the data")
    check_rules(rules=persona_rules)
    algorithm = registered(algorithm=config.algorithm)
    raw = _checked_features(customers=customers, config=config, takes_k=algorithm.takes_k)

    report(5, "Scaling the features")
    scaler = fit_scaler(raw=raw, features=config.features, method=config.scaling)
    points = scaler.transform(raw=raw)
    sweep, k = choose_k(points=points, config=config, algorithm=algorithm, report=report)

    report(70, f"Fitting {algorithm.label} on {len(points):,} customers")
    fitted = fit(points=points, config=config, k=k)
    k = len(fitted.centroids)
    clustered = fitted.labels != OUTLIER

    report(80, "Describing and naming segments")
    groups = np.where(clustered, fitted.labels, k)  # outliers, if any, are group k
    bands = level_bands(customers=customers, features=config.features)
    profiles = profile_segments(
        customers=customers, features=config.features, labels=groups, k=k + (not clustered.all()), bands=bands
    )
    names = name_segments(profiles=profiles[:k], bands=bands, rules=persona_rules, labels=config.labels)
    return Segmentation(
        points=points,
        fit=fitted,
        refit=refit_like(config=config, algorithm=algorithm, fitted=fitted),
        sweep=sweep,
        scaler=scaler,
        bands=bands,
        labels=groups,
        distances=distances_to_centroids(points=points, labels=fitted.labels, centroids=fitted.centroids),
        segments=_described(profiles=profiles, names=names),
    )


def measure_segmentation(*, segmentation: Segmentation, config: SegmentationConfig) -> SegmentationResult:
    """`segmentation` finished: its silhouette, quality (tendency, metrics, stability) and the
    warnings they call for. Touches nothing shared, so it may run in a thread of its own."""
    fitted, points, segments = segmentation.fit, segmentation.points, segmentation.segments[: segmentation.k]
    clustered = fitted.labels != OUTLIER
    scores = silhouette_scores(
        points=points[clustered],
        labels=fitted.labels[clustered],
        k=segmentation.k,
        sample_size=config.silhouette_sample_size,
        seed=config.seed,
    )
    quality = measure_quality(
        points=points,
        labels=fitted.labels,
        refit=segmentation.refit,
        seed=config.seed,
        sample_size=config.silhouette_sample_size,
        resamples=config.stability_resamples,
        silhouette=scores,
    )
    warnings = run_warnings(
        quality=quality,
        sizes=[segment.profile.size for segment in segments],
        names=[segment.display_name for segment in segments],
        guard=SizeGuard(min_share=config.min_segment_share, min_size=config.min_segment_size),
        fitted_on=fitted.fitted_on,
        total=len(points),
    )
    return SegmentationResult(
        k=segmentation.k,
        k_automatic=segmentation.sweep is not None,
        sweep=segmentation.sweep,
        silhouette=scores.overall,
        silhouette_sample_size=scores.sample_size,
        inertia=fitted.inertia,
        labels=segmentation.labels,
        distances=segmentation.distances,
        probabilities=fitted.probabilities,
        centroids=fitted.centroids,
        scaler=segmentation.scaler,
        bands=segmentation.bands,
        segments=_measured(segmentation.segments, scores=scores, quality=quality, warnings=warnings),
        quality=quality,
        warnings=warnings,
        fitted_on=fitted.fitted_on,
        algorithm_settings=dict(fitted.parameters),
        dendrogram=fitted.dendrogram,
    )


def _described(
    *, profiles: Sequence[SegmentProfile], names: Sequence[SegmentName]
) -> tuple[SegmentDescription, ...]:
    """Each segment described, its quality not yet measured; the outliers, if any, last."""
    k = len(names)
    segments = [
        SegmentDescription(
            profile=profile,
            silhouette=None,
            stability=None,
            persona=name.persona,
            display_name=name.display_name,
            cautions=(),
        )
        for profile, name in zip(profiles[:k], names, strict=True)
    ]
    return tuple(segments + [_outliers(profile) for profile in profiles[k:]])


def _measured(
    segments: tuple[SegmentDescription, ...],
    *,
    scores: SilhouetteScores,
    quality: Quality,
    warnings: Sequence[RunWarning],
) -> tuple[SegmentDescription, ...]:
    """``segments`` with their silhouette, stability and the codes of the warnings about them; the
    outliers, if any, stay as they are."""
    k = len(scores.per_segment)
    measured = [
        dataclasses.replace(
            segment,
            silhouette=score,
            stability=None if np.isnan(stability) else stability,
            cautions=tuple(warning.code for warning in warnings if warning.segment == segment.profile.index),
        )
        for segment, score, stability in zip(
            segments[:k], scores.per_segment, quality.stability.per_segment[:k], strict=True
        )
    ]
    return tuple(measured) + segments[k:]


def _outliers(profile: SegmentProfile) -> SegmentDescription:
    return SegmentDescription(
        profile=profile,
        silhouette=None,
        stability=None,
        persona=None,
        display_name=OUTLIERS_NAME,
        cautions=(),
        is_outliers=True,
    )


def _checked_features(
    *, customers: pd.DataFrame, config: SegmentationConfig, takes_k: bool
) -> NDArray[np.float64]:
    """The raw feature matrix, once the data is known to be segmentable as configured."""
    if len(customers) == 0:
        raise NoCustomersError("There are no customers to segment.")
    raw = encode_features(customers=customers, features=config.features, labels=config.labels)
    if not takes_k and len(customers) < 2:
        raise TooFewCustomersError("Only 1 customer to segment: there must be at least 2.")
    smallest_k = config.k_range[0] if config.k is None else config.k
    if takes_k and len(customers) < smallest_k:
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
