"""Deciding a whole file's day order for numeric dates (``dates`` reads each chunk both ways).

Each chunk returns its evidence: rows whose numeric date only one order can read (a first number
above 12 is a day). Once the import has seen every row, the file is read in the one order its
evidence shows; evidence both ways, or none at all, refuses the file rather than guess.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from customers.importing.dates import DateReading
from customers.importing.errors import FileRejected
from customers.importing.reading import ROW_COLUMN

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
