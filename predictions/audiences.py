"""Audiences by prediction: the customers (of one segment, or all) whose lapse risk and expected
spend in the published forecast fall in given ranges, to page through or export."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from predictions.models import CustomerForecast, Forecast
from predictions.selectors import scores_where
from segmentation.models import Assignment, Segment, SegmentationRun

EXPORT_FIELDS = (
    "customer__external_id",
    "customer__gender",
    "customer__age",
    "customer__annual_income",
    "customer__spending_score",
    "segment_name",
    "lapse_risk",
    "expected_spend",
)


@dataclass(frozen=True)
class AudienceFilter:
    """Bounds are inclusive; None leaves that side open. Risk is a share, 0 to 1."""

    segment: Segment | None = None
    lapse_risk_min: float | None = None
    lapse_risk_max: float | None = None
    expected_spend_min: float | None = None
    expected_spend_max: float | None = None

    def lookups(self) -> dict:
        bounds = {
            "lapse_risk__gte": self.lapse_risk_min,
            "lapse_risk__lte": self.lapse_risk_max,
            "expected_spend__gte": self.expected_spend_min,
            "expected_spend__lte": self.expected_spend_max,
        }
        return {lookup: value for lookup, value in bounds.items() if value is not None}


def audience(forecast: Forecast, audience_filter: AudienceFilter) -> QuerySet[CustomerForecast]:
    """The forecast's matching scores with their customers and each one's segment name in the active
    run (or in the chosen segment's run), in customer order for keyset paging."""
    scores = scores_where(forecast, **audience_filter.lookups())
    segment = audience_filter.segment
    if segment is not None:
        scores = scores.filter(
            customer_id__in=Assignment.objects.filter(run_id=segment.run_id, segment=segment).values(
                "customer_id"
            )
        )
    run_id = segment.run_id if segment else SegmentationRun.objects.filter(is_active=True).values("pk")[:1]
    segment_name = Assignment.objects.filter(run_id=run_id, customer_id=OuterRef("customer_id")).values(
        "segment__name"
    )[:1]
    return (
        scores.select_related("customer")
        .annotate(segment_name=Subquery(segment_name))
        .order_by("customer_id")
    )


def audience_rows(scores: QuerySet[CustomerForecast]):
    """The audience as export rows (EXPORT_FIELDS), streamed in chunks."""
    return scores.values_list(*EXPORT_FIELDS).iterator(chunk_size=5_000)
