"""Files of dated rows (purchases, campaign outcomes): checking them chunk by chunk, and deciding
the whole file's day order for numeric dates (``dates`` reads each chunk both ways).

Each chunk returns its evidence: rows whose numeric date only one order can read (a first number
above 12 is a day). Once the import has seen every row, the file is read in the one order its
evidence shows; evidence both ways, or none at all, refuses the file rather than guess.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from customers.importing.dates import DateReading
from customers.importing.errors import FileRejected
from customers.importing.reading import ROW_COLUMN, TableFile
from customers.importing.report import ImportReport

GIVE_THE_FORMAT = (
    "Give the date format (on the Import page, the Date format field; for the command, "
    "--date-format), e.g. %d/%m/%Y or %m/%d/%Y."
)


@dataclass(frozen=True)
class DayOrderEvidence:
    """Rows whose numeric date only one day order can read, and the first such row of each."""

    day_first_rows: int = 0
    month_first_rows: int = 0
    first_day_first: tuple[int, str] | None = None  # (row, date as written)
    first_month_first: tuple[int, str] | None = None

    def plus(self, other: "DayOrderEvidence") -> "DayOrderEvidence":
        return DayOrderEvidence(
            self.day_first_rows + other.day_first_rows,
            self.month_first_rows + other.month_first_rows,
            self.first_day_first or other.first_day_first,
            self.first_month_first or other.first_month_first,
        )


@dataclass(frozen=True)
class CheckedDatedRows:
    """One chunk checked: the rows that passed, how many were refused or blank, and its dates."""

    valid: pd.DataFrame
    invalid_row_count: int
    blank_row_count: int
    numeric_date_rows: int  # valid rows whose date waits for the file's day order
    evidence: DayOrderEvidence


def checked_dated_rows(
    raw: pd.DataFrame,
    *,
    date_field: str,
    at_column: str,
    dates: DateReading,
    keep: pd.Series,
    values: dict[str, pd.Series],
    invalid_count: int,
    blank_count: int,
) -> CheckedDatedRows:
    """A chunk's kept rows: their row numbers, ``values`` (typed columns), and the date of
    ``date_field`` as ``at_column`` (NaT while waiting for the day order), read both ways
    (``day_first_at``, ``month_first_at``) and as written (``date_text``)."""
    valid = pd.DataFrame(
        {
            ROW_COLUMN: raw[ROW_COLUMN][keep],
            **{name: column[keep] for name, column in values.items()},
            at_column: dates.at[keep],
            "day_first_at": dates.day_first[keep],
            "month_first_at": dates.month_first[keep],
            "date_text": raw[date_field][keep].str.strip(),
        }
    )
    return CheckedDatedRows(
        valid=valid,
        invalid_row_count=invalid_count,
        blank_row_count=blank_count,
        numeric_date_rows=int((keep & dates.at.isna()).sum()),
        evidence=day_order_evidence(raw, date_field, dates, keep),
    )


def check_dated_file(
    table_file: TableFile,
    report: ImportReport,
    *,
    check: Callable[..., CheckedDatedRows],
    date_format: str,
    time_zone: str,
    keep: Callable[[pd.DataFrame], Any],
    on_progress: Callable[[int, str], None],
    noun: str,
) -> tuple[DayOrderEvidence, int]:
    """Check every chunk of ``table_file`` with ``check`` (called as ``check(chunk, header_by_field=,
    report=, date_format=, time_zone=)``), hand its valid rows to ``keep``, count the rows in
    ``report`` and report progress up to 90%. Returns the file's day-order evidence and how many of
    the kept rows' dates wait for it."""
    evidence, numeric_dates = DayOrderEvidence(), 0
    for raw in table_file.chunks:
        checked = check(
            raw,
            header_by_field=table_file.header.header_by_field,
            report=report,
            date_format=date_format,
            time_zone=time_zone,
        )
        report.rows_read += len(raw) - checked.blank_row_count
        report.skipped += checked.invalid_row_count
        keep(checked.valid)
        evidence, numeric_dates = evidence.plus(checked.evidence), numeric_dates + checked.numeric_date_rows
        fraction = table_file.fraction_after(raw)
        if fraction is not None:
            on_progress(int(90 * fraction), f"Checked {report.rows_read:,} {noun}")
    return evidence, numeric_dates


def day_order_evidence(
    raw: pd.DataFrame, column: str, dates: DateReading, keep: pd.Series
) -> DayOrderEvidence:
    """What the kept rows of a chunk's date ``column`` (read into ``dates``) show of the day order."""
    day_first, month_first = dates.day_first_only & keep, dates.month_first_only & keep
    return DayOrderEvidence(
        day_first_rows=int(day_first.sum()),
        month_first_rows=int(month_first.sum()),
        first_day_first=_first(raw, column, day_first),
        first_month_first=_first(raw, column, month_first),
    )


def file_day_order(
    evidence: DayOrderEvidence, *, numeric_dates: int, example: Callable[[], str | None]
) -> str:
    """The day order the whole file shows, "day_first" or "month_first"; FileRejected otherwise.
    ``example`` gives one of the ``numeric_dates`` still waiting, as written, for the message."""
    if evidence.day_first_rows and evidence.month_first_rows:
        (day_row, day_text), (month_row, month_text) = evidence.first_day_first, evidence.first_month_first
        raise FileRejected(
            f"The dates are written both day-first (row {day_row:,}: '{day_text}') and month-first "
            f"(row {month_row:,}: '{month_text}'). Write them one way. {GIVE_THE_FORMAT}"
        )
    if not evidence.day_first_rows and not evidence.month_first_rows:
        raise FileRejected(
            f"The dates are ambiguous: {numeric_dates:,} date(s) such as '{example()}' could be "
            "day-first or month-first, and none has a day above 12 to tell. " + GIVE_THE_FORMAT
        )
    return "day_first" if evidence.day_first_rows else "month_first"


def _first(raw: pd.DataFrame, column: str, mask: pd.Series) -> tuple[int, str] | None:
    if not mask.any():
        return None
    position = mask.to_numpy().argmax()
    return int(raw[ROW_COLUMN].iloc[position]), str(raw[column].iloc[position]).strip()
