"""CSV downloads that are safe to open in a spreadsheet, streamed row by row.

Shared by every export (segmentation's audiences, RFM members), so the neutralising rule
lives in one place.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

# A formula starts with = + - @ (or a tab or CR before one). A spreadsheet told to split on
# ; , | or tab could also cut a cell into pieces, so a piece that would start so counts too.
_FORMULA_START = re.compile(r"(^|[,;|\t\r\n])(?=[=+\-@\t\r])")


def formula_safe(cell):
    """Text where a spreadsheet would see a formula, at its start or after a separator, gets an
    apostrophe there, so the spreadsheet shows it as text (OWASP's CSV-injection advice).
    Anything but text (numbers, booleans, None) is returned as it is."""
    if isinstance(cell, str):
        return _FORMULA_START.sub(r"\1'", cell)
    return cell


class _Echo:
    """A file-like object whose write returns the line, so csv.writer output can be streamed."""

    def write(self, value: str) -> str:
        return value


def formula_safe_csv_lines(*, header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The header, then each row, as CSV lines with every cell made formula-safe."""
    writer = csv.writer(_Echo())
    yield writer.writerow([formula_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([formula_safe(cell) for cell in row])


def formula_safe_csv_response(
    *, header: Sequence[str], rows: Iterable[Sequence], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download of ``rows`` under ``header``, named ``filename`` (which the caller
    builds from safe parts, e.g. slugs and ids)."""
    response = StreamingHttpResponse(
        formula_safe_csv_lines(header=header, rows=rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
