"""The one door between the app and the pure engine (``segmentation/engine/``).

Nothing else in the app imports the engine. This module:

- re-exports the engine's vocabulary (features, levels, scalings, algorithms, K limits and
  defaults), so forms, serializers, the command and models derive their choices from it;
- turns the engine's errors into Django ``ValidationError``s that name the problem;
- turns what the database stores (JSON dicts, DataFrames read from tables) into the engine's
  inputs, and the engine's results into JSON-ready values for rows.

It imports no model, so models may use it; services and selectors do the database I/O.
"""

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from numpy.typing import NDArray

from core.threads import maths_threads_limited
from segmentation import engine

FEATURES = engine.FEATURES
NUMERIC_FEATURES = engine.NUMERIC_FEATURES
BEHAVIOUR_FEATURES = engine.BEHAVIOUR_FEATURES
FEATURE_LABELS = engine.FEATURE_LABELS
FEATURE_NAME_PATTERN = engine.CUSTOM_FEATURE_NAME.pattern
LEVELS = engine.LEVELS
LEVEL_WORDS = engine.LEVEL_WORDS
SCALINGS = engine.SCALINGS
SCALING_LABELS = engine.SCALING_LABELS
ALGORITHMS = tuple(engine.ALGORITHMS)
ALGORITHM_LABELS = engine.ALGORITHM_LABELS
ALGORITHMS_TAKING_K = tuple(name for name, algorithm in engine.ALGORITHMS.items() if algorithm.takes_k)
ALGORITHMS_GIVING_PROBABILITIES = tuple(
    name for name, algorithm in engine.ALGORITHMS.items() if algorithm.gives_probabilities
)
ALGORITHM_SETTINGS = ("eps", "min_samples", "min_cluster_size")  # a user may set (AlgorithmParameters)
K_LIMITS = engine.K_LIMITS
DEFAULT_K_RANGE = engine.DEFAULT_K_RANGE
DEFAULT_FEATURES = engine.DEFAULT_FEATURES
DEFAULT_ALGORITHM = engine.DEFAULT_ALGORITHM
DEFAULT_SCALING = engine.DEFAULT_SCALING
DEFAULT_SEED = engine.DEFAULT_SEED
MAX_SEED = engine.MAX_SEED
WARNING_CODES = engine.WARNING_CODES
population_drift = engine.population_drift  # each feature's PSI now against a run's ``population``
campaign_lift = engine.lift  # a campaign's response rate over its control group's, with the interval
CampaignGroup = engine.GroupOutcome
libraries_load_in_background = engine.load_libraries_in_background  # while a run reads its customers

EngineError = engine.EngineError
ProgressCallback = engine.ProgressCallback
SegmentationConfig = engine.SegmentationConfig
Segmentation = engine.Segmentation
SegmentationResult = engine.SegmentationResult
SegmentMatch = engine.SegmentMatch


# PARAMETERS AND RULES


def run_config(
    *,
    features: Sequence[str],
    algorithm: str,
    k: int | None,
    k_range: tuple[int, int],
    scaling: str,
    seed: int,
    custom_features: Mapping[str, str],
    algorithm_parameters: Mapping[str, float | int],
) -> SegmentationConfig:
    """The engine's config for these run parameters; ValidationError naming every problem otherwise.

    ``custom_features`` are the declared attributes the run may use (name -> label);
    ``algorithm_parameters`` the settings given for the algorithm (ALGORITHM_SETTINGS). The
    guardrails (stability resamples, what makes a segment tiny) come from settings."""
    unknown = sorted(set(algorithm_parameters) - set(ALGORITHM_SETTINGS))
    if unknown:
        raise ValidationError(f"Unknown algorithm setting(s): {', '.join(unknown)}.")
    try:
        return engine.SegmentationConfig(
            features=features,
            algorithm=algorithm,
            k=k,
            k_range=k_range,
            scaling=scaling,
            seed=seed,
            custom_features=custom_features,
            parameters=engine.AlgorithmParameters(**algorithm_parameters),
            stability_resamples=settings.STABILITY_RESAMPLES,
            min_segment_share=settings.SEGMENT_MIN_SHARE,
            min_segment_size=settings.SEGMENT_MIN_SIZE,
        )
    except engine.EngineError as error:
        raise ValidationError(str(error)) from error


def persona_rule_validate(rule: object, *, numeric_features: Collection[str], persona_name: str = "") -> None:
    """Refuse a rule the engine cannot match, or using a feature not in ``numeric_features``."""
    if not isinstance(rule, dict):
        raise ValidationError('Write the rule as a JSON object, e.g. {"annual_income": "high"}.')
    name = persona_name or "this persona"
    try:
        engine.PersonaRule(name=name, levels=rule)
    except engine.EngineError as error:
        raise ValidationError(str(error)) from error
    unknown = [feature for feature in rule if feature not in numeric_features]
    if unknown:
        raise ValidationError(
            f"Persona {name!r} uses {', '.join(unknown)}, which is neither a feature nor a declared "
            f"attribute; choose from {', '.join(numeric_features)}."
        )


# RUNNING THE ENGINE


def segmentation_compute(
    *,
    customers: pd.DataFrame,
    config: SegmentationConfig,
    personas: Iterable[tuple[str, Mapping[str, str]]],
    on_progress: ProgressCallback,
    threads: int,
) -> Segmentation:
    """The segments of ``customers``, named with persona rules given as (name, levels) pairs; their
    quality is measured next (``segmentation_measure``).

    ``threads`` caps the maths libraries' thread pools: Celery already runs one process per
    core, and oversubscribed threads made the K sweep several times slower.
    """
    rules = [engine.PersonaRule(name=name, levels=levels) for name, levels in personas]
    with maths_threads_limited(threads):
        return engine.segment_customers(
            customers=customers, config=config, persona_rules=rules, on_progress=on_progress
        )


def segmentation_measure(*, segmentation: Segmentation, config: SegmentationConfig) -> SegmentationResult:
    """``segmentation`` finished with its quality measured. Uses no database, so a thread may run it
    while the run is stored (``core.threads.computed_in_background``, which caps its threads)."""
    return engine.measure_segmentation(segmentation=segmentation, config=config)


def population_summarise(*, customers: pd.DataFrame, features: Sequence[str]) -> dict[str, dict]:
    """Mean, median and percentiles of each of the numeric ``features``, JSON-ready."""
    summaries = engine.summarise_population(customers=customers, features=features)
    return {feature: dataclasses.asdict(summary) for feature, summary in summaries.items()}


def sample_rows(*, n: int, size: int, seed: int) -> NDArray[np.intp]:
    """Indices of a seeded sample of at most ``size`` of ``n`` rows (the engine's own sampling)."""
    return engine.sample_indices(n=n, size=size, seed=seed)


# PICTURING A RUN

PROJECTION_COLUMNS = ("projection_1", "projection_2")


def sample_projection(
    *, customers: pd.DataFrame, scaler: engine.ScalerParams, labels: Mapping[str, str]
) -> tuple[NDArray[np.float64], dict] | None:
    """On three or more scaled columns: the customers' coordinates on the principal plane, and the
    plane JSON-ready (its axis names, and what projects a scaled centroid); None otherwise."""
    if len(scaler.columns) < 3:
        return None
    points = scaler.transform(raw=engine.encode_features(customers=customers, features=scaler.features))
    plane = engine.principal_plane(points=points, columns=scaler.columns)
    names = plane.axis_names(labels={**FEATURE_LABELS, **labels})
    return plane.project(points=points), {
        "names": list(names),
        "components": [list(row) for row in plane.components],
    }


def centroid_projection(*, projection: dict, centroid_scaled: Sequence[float]) -> list[float]:
    """A segment's centre (scaled space) on the run's principal plane."""
    return [float(np.dot(axis, centroid_scaled)) for axis in projection["components"]]


# COMPARING RUNS


table_agreement = engine.adjusted_rand_from_table  # two runs' ARI from their table of customer counts


def run_to_activate(*, standings: Iterable[dict]) -> tuple[int, str]:
    """The run to activate among runs described as dicts (run_id, has_structure, doubtful_segments,
    stability, silhouette), and why."""
    return engine.recommend_run([engine.RunStanding(**standing) for standing in standings])


def segments_match(
    *, previous_scaler: dict | None, new_scaler: dict | None, **segments
) -> list[SegmentMatch]:
    """Which earlier segment each new one continues: ``engine.match_runs_segments`` (``overlap``,
    ``previous``, ``new``) with the runs' stored scalers."""
    scalers = {"previous_scaler": previous_scaler, "new_scaler": new_scaler}
    return engine.match_runs_segments(
        **{name: data and engine.ScalerParams.from_dict(data=data) for name, data in scalers.items()},
        **segments,
    )


# PLACING AND RANKING


def customers_place(
    *, customers: pd.DataFrame, scaler: dict, centroids: Sequence[Sequence[float]]
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Nearest segment number and its distance for every row, with a run's stored scaler and centroids."""
    return engine.place_customers(
        customers=customers, scaler=engine.ScalerParams.from_dict(data=scaler), centroids=centroids
    )


def values_place(
    *, values: Mapping[str, float | str], scaler: dict, centroids: Sequence[Sequence[float]]
) -> tuple[int, float]:
    """Nearest segment number and its distance for one shopper's values."""
    placement = engine.place_point(
        values=values, scaler=engine.ScalerParams.from_dict(data=scaler), centroids=centroids
    )
    return placement.segment, placement.distance


def level_in_words(*, feature: str, level: str, labels: Mapping[str, str]) -> str:
    """A segment's level of one feature in words ("High income", "Low visits per month")."""
    return engine.level_in_words(feature=feature, level=level, labels={**FEATURE_LABELS, **labels})


def population_rank(*, population: Mapping[str, dict], feature: str, value: float) -> float:
    """The percentile rank (0-100) of ``value`` among all customers, from a run's stored population."""
    return engine.PopulationSummary(**population[feature]).rank_of(value=value)
