"""Audience exports: a segment's members, or the customers who moved from one segment to another,
as CSV, streamed, safe to open in a spreadsheet."""

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from core.csv_export import formula_safe_csv_response
from segmentation.models import Segment
from segmentation.selectors.moves import moved_members
from segmentation.selectors.segments import audience_rows, segment_audience_rows

AUDIENCE_COLUMNS = [
    "customer_id", "gender", "age", "annual_income", "spending_score", "segment", "persona", "placed",
]  # fmt: skip
MOVED_COLUMNS = [
    "customer_id",
    "gender",
    "age",
    "annual_income",
    "spending_score",
    "from_segment",
    "to_segment",
]


def audience_csv_response(segment: Segment) -> StreamingHttpResponse:
    persona = segment.persona.name if segment.persona else ""
    rows = (
        [external_id, gender, age, income, spending, segment.name, persona, placed]
        for external_id, gender, age, income, spending, placed in segment_audience_rows(segment=segment)
    )
    filename = f"audience-run{segment.run_id}-{slugify(segment.name)}.csv"
    return formula_safe_csv_response(header=AUDIENCE_COLUMNS, rows=rows, filename=filename)


def moved_csv_response(source: Segment, target: Segment) -> StreamingHttpResponse:
    """The customers who were in ``source`` and are in ``target`` (a segment of another run)."""
    customers = audience_rows(moved_members(source=source, target=target))
    rows = ([*customer, source.name, target.name] for customer in customers)
    moved = f"{slugify(source.name)}-to-run{target.run_id}-{slugify(target.name)}"
    return formula_safe_csv_response(
        header=MOVED_COLUMNS, rows=rows, filename=f"moved-run{source.run_id}-{moved}.csv"
    )
