"""The use case of importing a customer file, and what the purchase import shares with it.

All or nothing unless invalid rows are to be skipped; reading and checking outside any
transaction (other writers are never held up by a slow file), only the merge in one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from customers.importing.columns import CUSTOMER_COLUMNS, Columns, attribute_field
from customers.importing.errors import FileRejected
from customers.importing.limits import ReadingLimits
from customers.importing.reading import TableFile, open_table_file
from customers.importing.report import MAX_LISTED_ISSUES, ImportIssue, ImportReport
from customers.importing.validation import check_chunk
from customers.models import CustomerAttribute
from customers.signals import book_imported
from customers.staging import AttributeValueStaging, CustomerStaging

WRITTEN_MEANWHILE = (
    "Another import or change was writing the same customers at the same moment, so nothing was "
    "written from this file. Import it again."
)

ProgressCallback = Callable[[int, str], None]
"""Called with a percentage (0–99) and what the import is doing; it may raise to stop the import."""
WrittenCallback = Callable[[ImportReport], None]
"""Called inside the merge's transaction once the rows are written; raising rolls them back."""


def customers_import(
    *,
    file: BinaryIO,
    file_name: str,
    skip_invalid: bool = False,
    on_progress: ProgressCallback | None = None,
    on_written: WrittenCallback | None = None,
) -> ImportReport:
    """Import a CSV or XLSX customer file, upserting rows by customer ID.

    All or nothing by default: any invalid row refuses the whole file and nothing is written.
    With ``skip_invalid`` the valid rows go in and the report lists the skipped ones. Rows
    stream through in chunks, so memory stays bounded whatever the file's size. Reading and
    checking happen outside any transaction (other writers are never held up by a slow
    file); only the final merge into the book is one transaction.
    """
    report = ImportReport(file_name=file_name, skip_invalid=skip_invalid)
    on_progress = on_progress or ignore_progress
    attributes = DeclaredAttributes.load()
    try:
        customer_file = open_table_file(file, columns=attributes.columns, limits=reading_limits())
    except FileRejected as error:
        return report.reject(str(error))
    report.ignored_columns = customer_file.header.ignored_headers
    return refusing_concurrent_writes(
        report,
        lambda: _stage_and_merge(
            customer_file, report, attributes=attributes, on_progress=on_progress, on_written=on_written
        ),
    )


def refusing_concurrent_writes(
    report: ImportReport, stage_and_merge: Callable[[], ImportReport]
) -> ImportReport:
    """Run an import's staging and merge; a clash with another writer refuses the file, retryably.
    Once the rows are committed, ``signals.book_imported`` tells the other apps."""
    try:
        report = stage_and_merge()
    except IntegrityError:
        # Another writer added or removed one of these rows between the check and the write.
        return report.reject(WRITTEN_MEANWHILE)
    except OperationalError as error:
        if "database is locked" not in str(error):  # SQLite: another import held the book too long
            raise
        return report.reject(WRITTEN_MEANWHILE)
    if not report.rejected:
        transaction.on_commit(partial(book_imported.send, sender=ImportReport, report=report))
    return report


def reading_limits() -> ReadingLimits:
    return ReadingLimits(
        max_bytes=int(settings.IMPORT_MAX_FILE_MB * 1_000_000),
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_rows=settings.IMPORT_MAX_ROWS,
        max_header_cell_chars=settings.IMPORT_MAX_HEADER_CELL_CHARS,
        max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        max_xlsx_inflated_bytes=int(settings.IMPORT_MAX_XLSX_INFLATED_MB * 1_000_000),
    )


def ignore_progress(percent: int, step: str) -> None:
    """The default progress callback: nobody is watching."""


@dataclass(frozen=True)
class DeclaredAttributes:
    """The mall's declared customer attributes, as an import needs them: by field."""

    ids: dict[str, int]
    ranges: dict[str, tuple[float, float]]
    columns: Columns

    @classmethod
    def load(cls) -> "DeclaredAttributes":
        attributes = list(CustomerAttribute.objects.all())
        return cls(
            ids={attribute_field(attribute.name): attribute.pk for attribute in attributes},
            ranges={attribute_field(attribute.name): attribute.value_range for attribute in attributes},
            columns=CUSTOMER_COLUMNS.with_attributes(
                {attribute.name: attribute.label for attribute in attributes}
            ),
        )


def _stage_and_merge(
    customer_file: TableFile,
    report: ImportReport,
    *,
    attributes: DeclaredAttributes,
    on_progress: ProgressCallback,
    on_written: WrittenCallback | None,
) -> ImportReport:
    """Check every row into the staging tables, then merge the valid ones in one transaction."""
    with CustomerStaging() as staging, AttributeValueStaging() as values:
        try:
            _stage_rows(customer_file, (staging, values), attributes, report, on_progress=on_progress)
        except FileRejected as error:
            return report.reject(str(error))
        if not report.rows_read:
            return report.reject("The file has a header row but no customer rows.")

        on_progress(92, "Looking for repeated customer IDs")
        staging.prepare_for_merge()
        id_column = customer_file.header.header_by_field["external_id"]
        repeated = _report_repeated_ids(staging, report, id_column=id_column)
        report.issues.sort(key=lambda issue: issue.row or 0)
        if report.issue_count and not report.skip_invalid:
            return report.reject()
        if report.skipped == report.rows_read:
            return report.reject("None of the rows is valid, so there is nothing to import.")
        if repeated:
            staging.discard_repeats()

        on_progress(95, "Writing to the customer book")
        with transaction.atomic():
            report.added, report.updated = staging.merge(now=timezone.now())
            report.unchanged = report.rows_read - report.skipped - report.added - report.updated
            report.attribute_values = values.merge()
            if on_written is not None:
                on_written(report)
    return report


def _stage_rows(
    customer_file: TableFile,
    tables: tuple[CustomerStaging, AttributeValueStaging],
    attributes: DeclaredAttributes,
    report: ImportReport,
    *,
    on_progress: ProgressCallback,
) -> None:
    """Check the file's rows chunk by chunk, listing problems and staging the valid rows."""
    header_by_field = customer_file.header.header_by_field
    in_file = {field: attributes.ranges[field] for field in header_by_field if field in attributes.ranges}
    staging, values = tables
    for raw in customer_file.chunks:
        checked = check_chunk(raw, header_by_field=header_by_field, report=report, attribute_ranges=in_file)
        report.rows_read += len(raw) - checked.blank_row_count
        report.skipped += checked.invalid_row_count
        staging.append(checked.valid)
        values.append(checked.valid, attribute_ids={field: attributes.ids[field] for field in in_file})
        fraction = customer_file.fraction_after(raw)
        if fraction is not None:
            on_progress(int(90 * fraction), f"Checked {report.rows_read:,} rows")


def _report_repeated_ids(staging: CustomerStaging, report: ImportReport, *, id_column: str) -> int:
    """List rows that repeat an earlier row's customer ID; the first occurrence wins."""
    count, repeats = staging.repeated_ids(limit=MAX_LISTED_ISSUES)
    issues = (
        ImportIssue(
            f"customer ID repeated in the file (first on row {first_row})",
            row=row,
            column=id_column,
            value=external_id,
        )
        for row, external_id, first_row in repeats
    )
    report.add_issues(issues, count=count)
    report.skipped += count
    return count
