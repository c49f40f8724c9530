"""RFM members as CSV, streamed, safe to open in a spreadsheet (``core.csv_export``)."""

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from core.csv_export import formula_safe_csv_response
from rfm.models import CustomerRfm
from rfm.selectors import EXPORT_COLUMNS, rfm_export_rows


def rfm_members_csv_response(*, members: QuerySet[CustomerRfm], filename: str) -> StreamingHttpResponse:
    """Every one of ``members`` with their scores, segment and behaviour values, by customer id."""
    return formula_safe_csv_response(
        header=EXPORT_COLUMNS, rows=rfm_export_rows(members=members), filename=filename
    )
