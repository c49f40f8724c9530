"""The use case of importing purchase lines (receipts, POS exports) into the customer book.

Like ``customers.customer_import.customers_import``: all or nothing unless invalid lines are to be
skipped, reading and checking outside any transaction, only the merge in one, together with
recomputing every customer's behaviour features (``customers.behaviour``).
"""

from datetime import datetime
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from customers.behaviour import behaviour_refresh
from customers.customer_import import (
    ProgressCallback,
    WrittenCallback,
    ignore_progress,
    reading_limits,
    refusing_concurrent_writes,
)
from customers.importing.columns import PURCHASE_COLUMNS
from customers.importing.dates import check_date_format
from customers.importing.day_order import DayOrderEvidence, check_dated_file, file_day_order
from customers.importing.errors import FileRejected
from customers.importing.purchase_validation import check_purchase_chunk
from customers.importing.reading import TableFile, open_table_file
from customers.importing.report import MAX_LISTED_ISSUES, ImportIssue, ImportReport
from customers.purchase_staging import (
    IN_THE_FUTURE,
    SHARED_PURCHASE_ID,
    STORED_FOR_ANOTHER_CUSTOMER,
    UNKNOWN_CUSTOMER,
    PurchaseStaging,
)

NOT_IN_THE_BOOK = "customer ID not in the customer book (import the customer first)"
SHARED_IN_THE_FILE = "purchase ID already used by another customer earlier in the file"
STORED_ELSEWHERE = "purchase ID already stored for another customer (receipt numbers must be unique)"


def purchases_import(
    *,
    file: BinaryIO,
    file_name: str,
    skip_invalid: bool = False,
    date_format: str = "",
    on_progress: ProgressCallback | None = None,
    on_written: WrittenCallback | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file of purchase lines for customers already in the book.

    Lines are upserted by (purchase ID, line number within the purchase, in file order); a
    purchase already stored is replaced by the file's lines. ``date_format`` (strftime codes)
    says how dates are written; without it, dates are recognised and numeric ones read in the
    day order the file shows, or the file is refused as ambiguous.
    """
    report = ImportReport(file_name=file_name, skip_invalid=skip_invalid)
    try:
        if date_format:
            check_date_format(date_format)
    except ValueError as error:
        return report.reject(str(error))
    try:
        purchase_file = open_table_file(file, columns=PURCHASE_COLUMNS, limits=reading_limits())
    except FileRejected as error:
        return report.reject(str(error))
    report.ignored_columns = purchase_file.header.ignored_headers

    def stage_and_merge() -> ImportReport:
        with PurchaseStaging() as staging:
            try:
                return _checked_and_merged(
                    purchase_file, staging, report,
                    date_format=date_format,
                    on_progress=on_progress or ignore_progress,
                    on_written=on_written,
                )  # fmt: skip
            except FileRejected as error:
                return report.reject(str(error))

    return refusing_concurrent_writes(report, stage_and_merge)


def _checked_and_merged(
    purchase_file: TableFile,
    staging: PurchaseStaging,
    report: ImportReport,
    *,
    date_format: str,
    on_progress: ProgressCallback,
    on_written: WrittenCallback | None,
) -> ImportReport:
    evidence, numeric_dates = _stage_lines(purchase_file, staging, report, date_format, on_progress)
    if not report.rows_read:
        return report.reject("The file has a header row but no purchase lines.")
    on_progress(91, "Checking dates, customers and purchase IDs")
    staging.prepare()
    if numeric_dates:
        _read_numeric_dates(staging, evidence, numeric_dates)
    now = timezone.now()
    _report_file_problems(staging, report, now=now, header_by_field=purchase_file.header.header_by_field)
    report.issues.sort(key=lambda issue: issue.row or 0)
    if report.issue_count and not report.skip_invalid:
        return report.reject()
    if report.skipped == report.rows_read:
        return report.reject("None of the lines is valid, so there is nothing to import.")
    on_progress(95, "Writing purchase lines")
    with transaction.atomic():
        report.added, report.updated, report.removed = staging.merge(now=now)
        report.unchanged = report.rows_read - report.skipped - report.added - report.updated
        behaviour_refresh()
        if on_written is not None:
            on_written(report)
    return report


def _stage_lines(
    purchase_file: TableFile,
    staging: PurchaseStaging,
    report: ImportReport,
    date_format: str,
    on_progress: ProgressCallback,
) -> tuple[DayOrderEvidence, int]:
    """Check the file chunk by chunk into the staging table; return the day-order evidence of its
    numeric dates and how many lines wait for it."""
    return check_dated_file(
        purchase_file,
        report,
        check=check_purchase_chunk,
        date_format=date_format,
        time_zone=settings.TIME_ZONE,
        keep=staging.append,
        on_progress=on_progress,
        noun="lines",
    )


def _read_numeric_dates(staging: PurchaseStaging, evidence: DayOrderEvidence, numeric_dates: int) -> None:
    """Give the staged numeric dates the one day order the file shows; refuse the file otherwise."""
    order = file_day_order(evidence, numeric_dates=numeric_dates, example=staging.numeric_date_example)
    staging.read_numeric_dates(order)


def _report_file_problems(
    staging: PurchaseStaging, report: ImportReport, *, now: datetime, header_by_field: dict[str, str]
) -> None:
    """Lines wrong in the light of the whole file or the book; skipped lines leave the staging table."""
    moment = connection.ops.adapt_datetimefield_value(now)
    problems = (
        (UNKNOWN_CUSTOMER, (), "external_id", NOT_IN_THE_BOOK),
        (IN_THE_FUTURE, (moment,), "purchased_at", "the date is in the future"),
        (SHARED_PURCHASE_ID, (), "purchase_id", SHARED_IN_THE_FILE),
        # A line already refused as shared within the file is not refused twice.
        (f"{STORED_FOR_ANOTHER_CUSTOMER} AND NOT {SHARED_PURCHASE_ID}", (), "purchase_id", STORED_ELSEWHERE),
    )
    for condition, params, field, reason in problems:
        shown = "date_text" if field == "purchased_at" else field
        count, lines = staging.offending(condition, shown, params=params, limit=MAX_LISTED_ISSUES)
        if not count:
            continue
        column = header_by_field[field]
        report.add_issues(
            (ImportIssue(reason, row=row, column=column, value=text) for row, text in lines), count=count
        )
        report.skipped += count
        if report.skip_invalid:
            staging.discard(condition, params=params)
