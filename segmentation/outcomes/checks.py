"""Checking one chunk of raw outcome rows (see ``customers.importing.validation`` for the shared
cell checks). What needs the whole file or the book (the day order of numeric dates, customers and
campaigns that exist, a send listed twice) is left to ``importing``."""

import pandas as pd

from customers.importing.dates import read_dates
from customers.importing.day_order import CheckedDatedRows, checked_dated_rows
from customers.importing.report import ImportReport
from customers.importing.validation import (
    FieldCheck,
    check_date,
    check_identifier,
    check_number,
    optional,
    sort_rows,
)
from customers.models import EXTERNAL_ID_MAX_LENGTH
from segmentation.models import Campaign
from segmentation.models.outcomes import OUTCOME_REVENUE_RANGE

YES_WORDS = frozenset({"yes", "y", "true", "t", "1"})
NO_WORDS = frozenset({"no", "n", "false", "f", "0"})
NOT_YES_OR_NO = "not yes or no (expected yes/no, y/n, true/false or 1/0)"
REVENUE_WITHOUT_RESPONSE = "revenue without a response (the customer did not respond)"
TITLE_MAX_LENGTH = Campaign._meta.get_field("title").max_length


def check_outcome_chunk(
    raw: pd.DataFrame,
    *,
    header_by_field: dict[str, str],
    report: ImportReport,
    date_format: str,
    time_zone: str,
) -> CheckedDatedRows:
    """Validate ``raw`` (text cells, one column per field), report problems, type the rest.
    Revenue and control are optional columns: blank means 0 and "not in the control group"."""
    dates = read_dates(raw["sent_on"], date_format=date_format, time_zone=time_zone)
    responded = yes_or_no(raw["responded"])
    checks = {
        "external_id": check_identifier(raw["external_id"], max_length=EXTERNAL_ID_MAX_LENGTH),
        "campaign": check_identifier(raw["campaign"], max_length=TITLE_MAX_LENGTH),  # matched later, any case
        "sent_on": check_date(dates, date_format),
        "responded": responded,
    }
    if "revenue" in header_by_field:
        checks["revenue"] = _revenue_check(raw["revenue"], raw["responded"])
    if "control" in header_by_field:
        checks["control"] = optional(yes_or_no(raw["control"]))
    keep, invalid_count, blank_count = sort_rows(raw, checks, header_by_field=header_by_field, report=report)
    nothing = pd.Series(0.0, index=raw.index)
    return checked_dated_rows(
        raw,
        date_field="sent_on",
        at_column="sent_at",
        dates=dates,
        keep=keep,
        values={
            "external_id": checks["external_id"].values,
            "campaign": checks["campaign"].values,
            "responded": responded.values.astype(bool),
            "revenue": checks["revenue"].values.round(2) if "revenue" in checks else nothing,
            "control": checks["control"].values.astype(bool) if "control" in checks else nothing.astype(bool),
        },
        invalid_count=invalid_count,
        blank_count=blank_count,
    )


def yes_or_no(text: pd.Series) -> FieldCheck:
    """Yes or no in the usual spellings; a placeholder False where blank or unreadable."""
    words = text.str.strip().str.lower()
    blank = words == ""
    yes, no = words.isin(YES_WORDS), words.isin(NO_WORDS)
    problems = [("blank cell", blank), (NOT_YES_OR_NO, ~blank & ~yes & ~no)]
    return FieldCheck(values=yes, blank=blank, problems=problems)


def _revenue_check(text: pd.Series, responded_text: pd.Series) -> FieldCheck:
    revenue = optional(
        check_number(text, whole_only=False, value_range=OUTCOME_REVENUE_RANGE, label="revenue")
    )
    said_no = responded_text.str.strip().str.lower().isin(NO_WORDS)
    revenue.problems.append((REVENUE_WITHOUT_RESPONSE, said_no & (revenue.values > 0)))
    return revenue
