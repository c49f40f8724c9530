"""The audience export: a segment's members as CSV, streamed, safe to open in a spreadsheet."""

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from core.csv_export import formula_safe_csv_response
from segmentation.models import Segment
from segmentation.selectors.segments import segment_audience_rows

AUDIENCE_COLUMNS = [
    "customer_id", "gender", "age", "annual_income", "spending_score", "segment", "persona", "placed",
]  # fmt: skip


def audience_csv_response(segment: Segment) -> StreamingHttpResponse:
    persona = segment.persona.name if segment.persona else ""
    rows = (
        [external_id, gender, age, income, spending, segment.name, persona, placed]
        for external_id, gender, age, income, spending, placed in segment_audience_rows(segment=segment)
    )
    filename = f"audience-run{segment.run_id}-{slugify(segment.name)}.csv"
    return formula_safe_csv_response(header=AUDIENCE_COLUMNS, rows=rows, filename=filename)
