"""Segments with their personas and campaigns, their members, and their audiences."""

from django.db.models import Prefetch, QuerySet

from segmentation.models import Assignment, PersonaCampaign, Segment, SegmentationRun


def segments_with_personas() -> QuerySet[Segment]:
    """Segments with their persona and its campaigns, in recommendation order, in few queries."""
    links = PersonaCampaign.objects.select_related("campaign")
    return Segment.objects.select_related("persona").prefetch_related(
        Prefetch("persona__campaign_links", queryset=links)
    )


def run_segments(*, run: SegmentationRun) -> list[Segment]:
    """The run's segments (persona, campaigns and the segment each continues prefetched, and ``run``
    as their run, so reading ``segment.run`` costs no query), largest first."""
    segments = list(segments_with_personas().select_related("continues").filter(run=run).order_by("number"))
    for segment in segments:
        segment.run = run
    return segments


def active_run_segments() -> tuple[SegmentationRun | None, list[Segment]]:
    """The active run and its segments (persona and campaigns prefetched), largest first."""
    run = SegmentationRun.objects.active()
    if run is None:
        return None, []
    return run, run_segments(run=run)


def segments_of_run(*, run_id: int | None = None) -> QuerySet[Segment]:
    """The segments of the run ``run_id``, or of the active run when none is named."""
    segments = segments_with_personas().order_by("run_id", "number")
    return segments.filter(run_id=run_id) if run_id else segments.filter(run__is_active=True)


def segment_members(*, segment: Segment, uncertain_only: bool = False) -> QuerySet[Assignment]:
    """The segment's assignments with their customers (only those a Gaussian mixture is unsure of,
    when asked); callers page them by ``customer_id``."""
    members = _assignments_of(segment).select_related("customer")
    return members.filter(probability__lt=Assignment.UNCERTAIN_BELOW) if uncertain_only else members


AUDIENCE_FIELDS = (
    "customer__external_id",
    "customer__gender",
    "customer__age",
    "customer__annual_income",
    "customer__spending_score",
)


def audience_rows(assignments: QuerySet[Assignment], *also: str):
    """The customers of ``assignments`` with the columns an audience export needs (and the
    assignment fields ``also`` names), in customer order, streamed in chunks."""
    return assignments.order_by("customer_id").values_list(*AUDIENCE_FIELDS, *also).iterator(chunk_size=5_000)


def segment_audience_rows(*, segment: Segment):
    """Every member of the segment as ``audience_rows``, and whether each was placed."""
    return audience_rows(_assignments_of(segment), "placed")


def _assignments_of(segment: Segment) -> QuerySet[Assignment]:
    """The segment's assignments, read through their run's primary key, which lists the run's
    customers in id order (assignments have no index by segment: see ``Assignment``)."""
    return Assignment.objects.filter(run_id=segment.run_id, segment=segment)
