"""The audience export: a segment's members as CSV, streamed, safe to open in a spreadsheet."""

import csv

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from segmentation.models import Segment
from segmentation.selectors.segments import segment_audience_rows

AUDIENCE_COLUMNS = [
    "customer_id", "gender", "age", "annual_income", "spending_score", "segment", "persona", "placed",
]  # fmt: skip
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _formula_safe(cell):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


class _Echo:
    """A file-like object whose write returns the line, so csv.writer output can be streamed."""

    def write(self, value: str) -> str:
        return value


def audience_csv_response(segment: Segment) -> StreamingHttpResponse:
    persona = segment.persona.name if segment.persona else ""
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(AUDIENCE_COLUMNS)
        for external_id, gender, age, income, spending, placed in segment_audience_rows(segment=segment):
            cells = [external_id, gender, age, income, spending, segment.name, persona, placed]
            yield writer.writerow([_formula_safe(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    filename = f"audience-run{segment.run_id}-{slugify(segment.name)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
