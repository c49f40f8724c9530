"""Read-side queries of segmentation: a customer's segment, and the segment for given values."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from customers.models import AGE_RANGE, ANNUAL_INCOME_RANGE, SPENDING_SCORE_RANGE, Customer, Gender
from mallseg.exceptions import Conflict
from segmentation import engine
from segmentation.models import Assignment, PersonaCampaign, Segment, SegmentationRun

VALUE_RANGES = {
    "age": AGE_RANGE,
    "annual_income": ANNUAL_INCOME_RANGE,
    "spending_score": SPENDING_SCORE_RANGE,
}


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


def segments_with_personas():
    """Segments with their persona and its campaigns, in recommendation order, in few queries."""
    links = PersonaCampaign.objects.select_related("campaign")
    return Segment.objects.select_related("persona").prefetch_related(
        Prefetch("persona__campaign_links", queryset=links)
    )


def customer_segment(*, customer: Customer) -> SegmentMatch | None:
    """The customer's segment in the active run, or None when no run is active."""
    run = SegmentationRun.objects.active()
    if run is None:
        return None
    assignment = Assignment.objects.filter(run=run, customer=customer).first()
    if assignment is not None:
        segment = segments_with_personas().get(pk=assignment.segment_id)
        return SegmentMatch(run=run, segment=segment, distance=assignment.distance, placed=assignment.placed)
    values = {feature: getattr(customer, feature) for feature in run.features}
    return _place(run, values)


def segment_for_values(*, values: dict[str, float | str]) -> SegmentMatch:
    """Which segment of the active run would a shopper with these values fall into?

    ``values`` needs every feature of the active run. Raises ValidationError naming the
    field when a value is missing or out of range, or when no run is active.
    """
    run = SegmentationRun.objects.active()
    if run is None:
        raise Conflict("No segmentation is active yet: start a run and make it active first.")
    errors = {}
    for feature in run.features:
        problem = _value_problem(feature, values.get(feature))
        if problem:
            errors[feature] = problem
    if errors:
        raise ValidationError(errors)
    return _place(run, {feature: values[feature] for feature in run.features})


def _value_problem(feature: str, value: float | str | None) -> str | None:
    if value is None or value == "":
        return "This value is needed by the active segmentation."
    if feature == "gender":
        return None if value in Gender.values else "Choose female, male or other."
    low, high = VALUE_RANGES[feature]
    if not isinstance(value, int | float) or not low <= value <= high:
        return f"Enter a number from {low:,} to {high:,}."
    return None


def _place(run: SegmentationRun, values: dict) -> SegmentMatch:
    segments = list(segments_with_personas().filter(run=run).order_by("number"))
    placement = engine.place_point(
        values=values,
        scaler=engine.ScalerParams.from_dict(data=run.scaler),
        centroids=[segment.centroid_scaled for segment in segments],
    )
    return SegmentMatch(
        run=run, segment=segments[placement.segment], distance=placement.distance, placed=True
    )


def active_run_segments() -> tuple[SegmentationRun | None, list[Segment]]:
    """The active run and its segments (persona and campaigns prefetched), largest first."""
    run = SegmentationRun.objects.active()
    if run is None:
        return None, []
    return run, list(segments_with_personas().filter(run=run).order_by("number"))


def run_chart_data(*, run: SegmentationRun, segments: list[Segment]) -> dict:
    """What the charts draw, JSON-ready: the scatter sample, centroids and the K sweep."""
    return {
        "runId": run.pk,
        "features": [feature for feature in run.features if feature in VALUE_RANGES],
        "labels": {feature: engine.FEATURE_LABELS[feature] for feature in VALUE_RANGES},
        "segments": [
            {"number": segment.number, "name": segment.name, "centroid": segment.centroid}
            for segment in segments
        ],
        "sample": run.scatter_sample,
        "customerCount": run.customer_count,
        "k": run.k,
        "sweep": run.k_sweep,
    }


def segment_audience_rows(*, segment: Segment):
    """Every member of the segment with the columns an audience export needs, streamed in chunks."""
    return (
        Assignment.objects.filter(segment=segment)
        .order_by("customer_id")
        .values_list(
            "customer__external_id",
            "customer__gender",
            "customer__age",
            "customer__annual_income",
            "customer__spending_score",
            "placed",
        )
        .iterator(chunk_size=5_000)
    )
