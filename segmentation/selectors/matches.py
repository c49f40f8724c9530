"""A customer's or a shopper's segment in the active run, and the campaigns to offer them, with why."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core.exceptions import Conflict
from core.text import number_text
from customers.models import Customer, CustomerAttributeValue, CustomerBehaviour, Gender
from segmentation import engine_adapter
from segmentation.models import Assignment, Segment, SegmentationRun
from segmentation.recommendations import Recommendation, recommendations_for_values
from segmentation.selectors.features import feature_value_ranges
from segmentation.selectors.segments import run_segments, segments_with_personas

NO_ACTIVE_RUN = "No segmentation is active yet: start a run and make it active first."


@dataclass(frozen=True)
class SegmentMatch:
    """A segment of the active run for a customer or a set of values.

    ``placed`` is True when the segment comes from the nearest centroid (a customer added
    after the run, or values entered by hand) rather than from the clustering itself.
    """

    run: SegmentationRun
    segment: Segment
    distance: float
    placed: bool
    probability: float | None = None

    @property
    def uncertain(self) -> bool:
        """A Gaussian mixture's segment the customer is not likely enough to belong to."""
        return self.probability is not None and self.probability < Assignment.UNCERTAIN_BELOW


@dataclass(frozen=True)
class SegmentAdvice:
    """The segment, and its persona's campaigns each with the reason for these values."""

    match: SegmentMatch
    recommendations: list[Recommendation]


def customer_segment_match(*, customer: Customer) -> SegmentMatch | None:
    """The customer's segment in the active run; None when no run is active, or when the customer
    lacks a value the run needs (see ``customer_lacks_values``)."""
    run = SegmentationRun.objects.active()
    if run is None:
        return None
    assignment = Assignment.objects.filter(run=run, customer=customer).first()
    if assignment is not None:
        segment = segments_with_personas().get(pk=assignment.segment_id)
        segment.run = run
        return SegmentMatch(
            run=run,
            segment=segment,
            distance=assignment.distance,
            placed=assignment.placed,
            probability=assignment.probability,
        )
    values = _values_of(customer, run)
    return None if values is None else _place(run, values)


def values_segment_match(*, values: dict[str, float | str]) -> SegmentMatch:
    """Which segment of the active run would a shopper with these values fall into?

    ``values`` needs every feature of the active run. Raises ValidationError naming the
    field when a value is missing or out of range, and Conflict when no run is active.
    """
    run = SegmentationRun.objects.active()
    if run is None:
        raise Conflict(NO_ACTIVE_RUN)
    errors = {}
    ranges = feature_value_ranges()
    for feature in run.features:
        problem = _value_problem(feature, values.get(feature), ranges=ranges)
        if problem:
            errors[feature] = problem
    if errors:
        raise ValidationError(errors)
    return _place(run, {feature: values[feature] for feature in run.features})


def customer_advice(*, customer: Customer) -> SegmentAdvice | None:
    """The customer's segment and campaigns with their reasons; None as ``customer_segment_match``."""
    match = customer_segment_match(customer=customer)
    if match is None:
        return None
    return _advice(match, _values_of(customer, match.run) or {})  # values since deleted: no reasons


def run_leaving_out(*, customer: Customer) -> SegmentationRun | None:
    """The active run, when it leaves this customer out for lacking a value it segments on (no
    purchases for a behaviour feature, no value of a declared attribute); None otherwise."""
    run = SegmentationRun.objects.active()
    return run if run is not None and _values_of(customer, run) is None else None


def values_advice(*, values: dict[str, float | str]) -> SegmentAdvice:
    """The segment for a shopper's values, and campaigns with their reasons.

    Raises as ``values_segment_match`` does.
    """
    return _advice(values_segment_match(values=values), values)


def _advice(match: SegmentMatch, values: dict[str, float | str]) -> SegmentAdvice:
    recommendations = recommendations_for_values(values=values, run=match.run, segment=match.segment)
    return SegmentAdvice(match=match, recommendations=recommendations)


def _values_of(customer: Customer, run: SegmentationRun) -> dict[str, float | str] | None:
    """The customer's values of the run's features; None when one has no value."""
    beyond_the_book = {*engine_adapter.BEHAVIOUR_FEATURES, *run.custom_features}
    values: dict[str, float | str] = {
        feature: getattr(customer, feature) for feature in run.features if feature not in beyond_the_book
    }
    behaviour_features = [feature for feature in run.features if feature in engine_adapter.BEHAVIOUR_FEATURES]
    if behaviour_features:
        behaviour = CustomerBehaviour.objects.filter(customer=customer).values(*behaviour_features).first()
        values.update({feature: float(value) for feature, value in (behaviour or {}).items()})
    attributes = CustomerAttributeValue.objects.filter(
        customer=customer, attribute__name__in=run.custom_features
    )
    values.update(attributes.values_list("attribute__name", "value"))
    if any(feature not in values for feature in run.features):
        return None
    return {feature: values[feature] for feature in run.features}


def _value_problem(
    feature: str, value: float | str | None, *, ranges: dict[str, tuple[float, float]]
) -> str | None:
    if value is None or value == "":
        return "This value is needed by the active segmentation."
    if feature == "gender":
        return None if value in Gender.values else "Choose female, male or other."
    if feature not in ranges:
        return "This attribute is no longer declared; the active segmentation cannot place new values."
    low, high = ranges[feature]
    if not isinstance(value, int | float) or not low <= value <= high:
        return f"Enter a number from {number_text(low)} to {number_text(high)}."
    return None


def _place(run: SegmentationRun, values: dict) -> SegmentMatch:
    segments = [segment for segment in run_segments(run=run) if not segment.is_outliers]
    number, distance = engine_adapter.values_place(
        values=values, scaler=run.scaler, centroids=[segment.centroid_scaled for segment in segments]
    )
    return SegmentMatch(run=run, segment=segments[number], distance=distance, placed=True)
