"""The use case of importing campaign outcomes (import kind ``outcomes``).

Like the customer book's imports: all or nothing unless invalid rows are to be skipped; reading
and checking outside any transaction, only the write in one. Each row is one send (or one
customer held back in the control group) of a playbook campaign, named by its title; a send is
keyed by (customer, campaign, day), so importing the same file twice changes nothing and a
corrected file updates the sends it lists.
"""

from typing import BinaryIO

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.bulk import TemporaryTable, insert_frame
from customers.customer_import import (
    WRITTEN_MEANWHILE,
    ProgressCallback,
    WrittenCallback,
    ignore_progress,
    reading_limits,
)
from customers.importing.dates import check_date_format
from customers.importing.day_order import check_dated_file, file_day_order
from customers.importing.errors import FileRejected
from customers.importing.reading import ROW_COLUMN, TableFile, open_table_file
from customers.importing.report import ImportIssue, ImportReport
from customers.models import EXTERNAL_ID_MAX_LENGTH, Customer
from customers.purchase_import import NOT_IN_THE_BOOK
from segmentation.models import Campaign
from segmentation.outcomes.checks import check_outcome_chunk
from segmentation.outcomes.columns import OUTCOME_COLUMNS
from segmentation.outcomes.writing import outcomes_write

REPEATED_SEND = "the same customer, campaign and day as an earlier row (each send is one row)"


def outcomes_import(
    *,
    file: BinaryIO,
    file_name: str,
    skip_invalid: bool = False,
    date_format: str = "",
    on_progress: ProgressCallback | None = None,
    on_written: WrittenCallback | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file of campaign outcomes for customers and campaigns already stored.

    ``date_format`` (strftime codes) says how the send dates are written; without it they are
    recognised, numeric ones read in the day order the file shows.
    """
    report = ImportReport(file_name=file_name, skip_invalid=skip_invalid)
    on_progress = on_progress or ignore_progress
    try:
        if date_format:
            check_date_format(date_format)
    except ValueError as error:
        return report.reject(str(error))
    try:
        outcome_file = open_table_file(file, columns=OUTCOME_COLUMNS, limits=reading_limits())
        report.ignored_columns = outcome_file.header.ignored_headers
        sends = _checked_rows(outcome_file, report, date_format=date_format, on_progress=on_progress)
    except FileRejected as error:
        return report.reject(str(error))
    if not report.rows_read:
        return report.reject("The file has a header row but no outcomes.")
    on_progress(91, "Checking customers, campaigns and dates")
    if not sends.empty:
        sends = _known_sends(sends, report, header_by_field=outcome_file.header.header_by_field)
    report.issues.sort(key=lambda issue: issue.row or 0)
    if report.issue_count and not skip_invalid:
        return report.reject()
    if sends.empty:
        return report.reject("None of the rows is valid, so there is nothing to import.")
    on_progress(95, "Writing outcomes")
    try:
        with transaction.atomic():
            report.added, report.updated, report.unchanged = outcomes_write(sends)
            if on_written is not None:
                on_written(report)
    except IntegrityError:  # a customer or campaign was deleted meanwhile
        return report.reject(WRITTEN_MEANWHILE)
    return report


def _checked_rows(
    outcome_file: TableFile, report: ImportReport, *, date_format: str, on_progress: ProgressCallback
) -> pd.DataFrame:
    """Every valid row of the file, its send day read in the file's one day order."""
    frames: list[pd.DataFrame] = []
    evidence, numeric_dates = check_dated_file(
        outcome_file,
        report,
        check=check_outcome_chunk,
        date_format=date_format,
        time_zone=settings.TIME_ZONE,
        keep=frames.append,
        on_progress=on_progress,
        noun="rows",
    )
    if not frames:  # a header and nothing else
        return pd.DataFrame()
    sends = pd.concat(frames, ignore_index=True)
    if numeric_dates:
        waiting = sends["sent_at"].isna()
        order = file_day_order(
            evidence, numeric_dates=numeric_dates, example=lambda: sends.loc[waiting, "date_text"].iloc[0]
        )
        sends.loc[waiting, "sent_at"] = sends.loc[waiting, f"{order}_at"]
    sends["sent_on"] = pd.to_datetime(sends["sent_at"], utc=True).dt.tz_convert(settings.TIME_ZONE).dt.date
    return sends


def _known_sends(
    sends: pd.DataFrame, report: ImportReport, *, header_by_field: dict[str, str]
) -> pd.DataFrame:
    """The rows whose customer and campaign exist, sent by today, each send once; the others reported."""
    sends["customer_id"] = sends["external_id"].map(_customer_ids(sends["external_id"].unique()))
    campaign_ids, titles = _campaigns_by_title()
    sends["campaign_id"] = sends["campaign"].str.casefold().map(campaign_ids)
    known = sends["customer_id"].notna() & sends["campaign_id"].notna()
    problems = (
        ("external_id", "external_id", sends["customer_id"].isna(), NOT_IN_THE_BOOK),
        (
            "campaign",
            "campaign",
            sends["campaign_id"].isna(),
            f"no campaign of that title in the playbook ({titles})",
        ),
        ("sent_on", "date_text", sends["sent_on"] > timezone.localdate(), "the date is in the future"),
        (
            "external_id",
            "external_id",
            known & sends.duplicated(["customer_id", "campaign_id", "sent_on"]),
            REPEATED_SEND,
        ),
    )
    offending = pd.Series(False, index=sends.index)
    for field, shown, refused, reason in problems:
        if refused.any():
            rows = zip(sends.loc[refused, ROW_COLUMN], sends.loc[refused, shown], strict=True)
            issues = (
                ImportIssue(reason, row=int(row), column=header_by_field[field], value=value)
                for row, value in rows
            )
            report.add_issues(issues, count=int(refused.sum()))
            offending |= refused
    report.skipped += int(offending.sum())
    return sends[~offending].astype({"customer_id": "int64", "campaign_id": "int64"})


class _ExternalIds(TemporaryTable):
    name = "outcome_import_customers"
    definition = f"external_id varchar({EXTERNAL_ID_MAX_LENGTH}) NOT NULL"


def _customer_ids(external_ids: np.ndarray) -> dict[str, int]:
    """The book's id of each of ``external_ids`` found there, looked up in one join."""
    with _ExternalIds() as staging, connection.cursor() as cursor:
        insert_frame(table=staging.name, frame=pd.DataFrame({"external_id": external_ids}))
        staging.index_and_analyse("external_id")
        cursor.execute(
            f"SELECT c.external_id, c.id FROM {Customer._meta.db_table} AS c "
            f"JOIN {staging.name} AS s ON s.external_id = c.external_id"
        )
        return dict(cursor.fetchall())


def _campaigns_by_title() -> tuple[dict[str, int], str]:
    """Campaign IDs by title in lower case, and the titles for a message."""
    campaigns = list(Campaign.objects.values_list("pk", "title"))
    by_title = {title.casefold(): pk for pk, title in campaigns}
    shown = ", ".join(f"'{title}'" for _, title in campaigns[:6]) + (", …" if len(campaigns) > 6 else "")
    return by_title, f"campaigns are {shown}" if campaigns else "it is empty"
