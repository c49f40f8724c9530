"""The segmentation engine: pure maths, no Django.

This package imports only the standard library, numpy, pandas, scikit-learn and kneed,
never Django nor any other part of the project. It takes DataFrames, arrays and small
config dataclasses and returns frozen dataclasses, so it runs and is tested without a
database. Start at `run_segmentation` (`segment_customers`, then `measure_segmentation`);
`place_point` places a new customer later using the stored `ScalerParams` and centroids.

scikit-learn, SciPy and kneed are imported inside the functions that use them: Django imports
the engine at start-up for its vocabulary (features, algorithms, defaults), and a command or
web worker should not pay about 1.3 s for maths it may never run. A run loads them while it
reads the customers (`load_libraries_in_background`).
"""

from .agreement import RunStanding, adjusted_rand_from_table, recommend_run
from .algorithms import (
    ALGORITHM_LABELS,
    ALGORITHMS,
    OUTLIER,
    AlgorithmParameters,
    ClusterFit,
    Dendrogram,
    NoSegmentsFoundError,
    fit_clusters,
)
from .choosing_k import KSweep, recommend_k, sweep_k
from .config import (
    DEFAULT_ALGORITHM,
    DEFAULT_FEATURES,
    DEFAULT_K_RANGE,
    DEFAULT_SCALING,
    DEFAULT_SEED,
    K_LIMITS,
    MAX_SEED,
    SegmentationConfig,
)
from .drift import PSI_MODERATE, PSI_SIGNIFICANT, drift_level, population_drift, population_stability
from .errors import (
    EngineError,
    InvalidDataError,
    InvalidParameterError,
    NoCustomersError,
    NoVarianceError,
    TooFewCustomersError,
)
from .features import (
    BEHAVIOUR_FEATURES,
    CUSTOM_FEATURE_NAME,
    FEATURE_LABELS,
    FEATURES,
    GENDERS,
    NUMERIC_FEATURES,
    encode_features,
)
from .identity import MIN_JACCARD, SegmentMatch, SegmentsToMatch, match_runs_segments, match_segments
from .libraries import load_libraries_in_background
from .lift import MIN_SENDS, GroupOutcome, Lift, lift, wilson_interval
from .personas import LEVEL_WORDS, PersonaRule, SegmentName, describe_segment, level_in_words, name_segments
from .pipeline import ProgressCallback, measure_segmentation, run_segmentation, segment_customers
from .placement import Placement, place_customers, place_point
from .profiles import (
    LEVELS,
    LevelBand,
    PopulationSummary,
    SegmentProfile,
    profile_segments,
    summarise_population,
)
from .projection import Projection, principal_plane
from .quality import HOPKINS_THRESHOLD, UNSTABLE_BELOW
from .results import Segmentation, SegmentationResult, SegmentDescription
from .sampling import sample_indices
from .scaling import SCALING_LABELS, SCALINGS, ScalerParams, fit_scaler
from .trust import WARNING_CODES, Quality, RunWarning

__all__ = [
    "MIN_SENDS",
    "GroupOutcome",
    "Lift",
    "lift",
    "load_libraries_in_background",
    "wilson_interval",
    "OUTLIER",
    "AlgorithmParameters",
    "Dendrogram",
    "NoSegmentsFoundError",
    "Projection",
    "principal_plane",
    "RunStanding",
    "PSI_MODERATE",
    "PSI_SIGNIFICANT",
    "drift_level",
    "population_drift",
    "population_stability",
    "MIN_JACCARD",
    "SegmentMatch",
    "SegmentsToMatch",
    "match_runs_segments",
    "match_segments",
    "adjusted_rand_from_table",
    "recommend_run",
    "CUSTOM_FEATURE_NAME",
    "HOPKINS_THRESHOLD",
    "UNSTABLE_BELOW",
    "WARNING_CODES",
    "Quality",
    "RunWarning",
    "ALGORITHMS",
    "ALGORITHM_LABELS",
    "DEFAULT_ALGORITHM",
    "BEHAVIOUR_FEATURES",
    "DEFAULT_FEATURES",
    "DEFAULT_K_RANGE",
    "DEFAULT_SCALING",
    "DEFAULT_SEED",
    "K_LIMITS",
    "MAX_SEED",
    "SCALING_LABELS",
    "FEATURES",
    "FEATURE_LABELS",
    "LEVEL_WORDS",
    "GENDERS",
    "LEVELS",
    "NUMERIC_FEATURES",
    "SCALINGS",
    "ClusterFit",
    "EngineError",
    "InvalidDataError",
    "InvalidParameterError",
    "KSweep",
    "LevelBand",
    "NoCustomersError",
    "NoVarianceError",
    "PopulationSummary",
    "PersonaRule",
    "Placement",
    "ProgressCallback",
    "ScalerParams",
    "SegmentDescription",
    "SegmentName",
    "SegmentProfile",
    "SegmentationConfig",
    "Segmentation",
    "SegmentationResult",
    "TooFewCustomersError",
    "describe_segment",
    "level_in_words",
    "measure_segmentation",
    "encode_features",
    "fit_clusters",
    "fit_scaler",
    "name_segments",
    "place_customers",
    "place_point",
    "sample_indices",
    "profile_segments",
    "recommend_k",
    "run_segmentation",
    "segment_customers",
    "summarise_population",
    "sweep_k",
]
