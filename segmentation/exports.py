"""The audience export: a segment's members as CSV, streamed, safe to open in a spreadsheet."""

import csv
import re

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from segmentation.models import Segment
from segmentation.selectors.segments import segment_audience_rows

AUDIENCE_COLUMNS = [
    "customer_id", "gender", "age", "annual_income", "spending_score", "segment", "persona", "placed",
]  # fmt: skip
# A formula starts with = + - @ (or a tab or CR before one). A spreadsheet told to split on
# ; , | or tab could also cut a cell into pieces, so a piece that would start so counts too.
_FORMULA_START = re.compile(r"(^|[,;|\t\r\n])(?=[=+\-@\t\r])")


def _formula_safe(cell):
    """Text where a spreadsheet would see a formula, at its start or after a separator, gets an
    apostrophe there, so the spreadsheet shows it as text (OWASP's CSV-injection advice)."""
    if isinstance(cell, str):
        return _FORMULA_START.sub(r"\1'", cell)
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
