"""The internal metrics in plain words, for people who do not know their scales."""

from .quality import QualityMetrics

# Kaufman & Rousseeuw (1990), "Finding Groups in Data", on the mean silhouette width.
SILHOUETTE_READINGS = (
    (0.70, "strong structure: the segments are clearly separated"),
    (0.50, "reasonable structure: clear separation between segments"),
    (0.25, "weak structure: the segments may be artificial"),
)
SILHOUETTE_NO_STRUCTURE = "no substantial structure"
# Davies–Bouldin averages (own spread + nearest neighbour's spread) / distance between the centres.
# It has no published cut-off; below 1 the two spreads together are less than that distance.
DAVIES_BOULDIN_APART_BELOW = 1.0
CALINSKI_HARABASZ_READING = (
    "higher is better; it has no absolute scale, so use it to compare runs on the same customers"
)
UNDEFINED_READING = "undefined: fewer than two segments"


def metric_readings(metrics: QualityMetrics) -> dict[str, str]:
    """Each metric in plain words, for people who do not know its scale."""
    readings = {
        "silhouette": (metrics.silhouette, _silhouette_reading),
        "davies_bouldin": (metrics.davies_bouldin, _davies_bouldin_reading),
        "calinski_harabasz": (metrics.calinski_harabasz, lambda _: CALINSKI_HARABASZ_READING),
    }
    return {
        name: UNDEFINED_READING if value is None else read(value) for name, (value, read) in readings.items()
    }


def _silhouette_reading(silhouette: float) -> str:
    matching = (words for floor, words in SILHOUETTE_READINGS if silhouette > floor)
    return next(matching, SILHOUETTE_NO_STRUCTURE)


def _davies_bouldin_reading(davies_bouldin: float) -> str:
    apart = davies_bouldin < DAVIES_BOULDIN_APART_BELOW
    words = "the segments are compact and well apart" if apart else "the segments overlap"
    return f"lower is better; {words}"
