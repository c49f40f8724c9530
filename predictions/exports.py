"""An audience by prediction as CSV, streamed, safe to open in a spreadsheet."""

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.text import slugify

from core.csv_export import formula_safe_csv_response
from predictions.audiences import audience_rows
from predictions.models import CustomerForecast, Forecast
from segmentation.models import Segment

AUDIENCE_COLUMNS = [
    "customer_id", "gender", "age", "annual_income", "spending_score",
    "segment", "lapse_risk", "expected_spend",
]  # fmt: skip


def audience_csv_response(
    scores: QuerySet[CustomerForecast], *, forecast: Forecast, segment: Segment | None
) -> StreamingHttpResponse:
    """``scores`` (``predictions.audiences.audience``) as rows; risk to four places, spend to two."""
    rows = (
        [*customer, segment_name or "", f"{risk:.4f}", f"{spend:.2f}"]
        for *customer, segment_name, risk, spend in audience_rows(scores)
    )
    who = f"run{segment.run_id}-{slugify(segment.name)}" if segment else "everyone"
    return formula_safe_csv_response(
        header=AUDIENCE_COLUMNS, rows=rows, filename=f"audience-forecast{forecast.pk}-{who}.csv"
    )
