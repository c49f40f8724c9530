"""The features a run may use: the engine's built-in ones and the attributes the mall declared.

A declared attribute (``customers.CustomerAttribute``) is a numeric feature named by its
attribute name; a run keeps the labels of its features as they were when it started
(``SegmentationRun.feature_labels``), so renaming or deleting an attribute never rewrites an
old run's pages.
"""

from customers.models import FEATURE_VALUE_RANGES, CustomerAttribute
from segmentation import engine_adapter


def available_features() -> dict[str, str]:
    """Name -> label of every feature a new run may use: built-in ones first, then attributes."""
    built_in = {feature: engine_adapter.FEATURE_LABELS[feature] for feature in engine_adapter.FEATURES}
    return {**built_in, **CustomerAttribute.objects.labels()}


def numeric_features() -> list[str]:
    """Every feature with levels (persona rules may ask for them): all but gender."""
    return [*engine_adapter.NUMERIC_FEATURES, *CustomerAttribute.objects.labels()]


def feature_value_ranges() -> dict[str, tuple[float, float]]:
    """The valid (lowest, highest) value of every numeric feature, built-in or declared."""
    return {**FEATURE_VALUE_RANGES, **CustomerAttribute.objects.value_ranges()}
