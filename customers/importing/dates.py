"""Reading purchase dates: ISO 8601, named months, or numeric dates whose day order the file shows.

``03/04/2025`` is 3 April to a European till and 4 March to an American one. A chunk cannot
tell, so numeric dates are read both ways here (``day_first``, ``month_first``) with the
evidence each row gives (a first number above 12 can only be a day); the import decides the
file's order once it has seen every row, and refuses a file that never shows it rather than
guess. A format given by the user (``date_format``, strftime codes) replaces all of this.
Dates without a time zone are in ``time_zone``; everything comes back in UTC.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
_ISO_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
_NUMERIC = (
    r"^(?P<first>\d{1,2})[/.-](?P<second>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<sec>\d{2}))?)?$"
)
# A written month ("1 Dec 2024", "Dec 1, 2024 08:26"): a month name, a day and a four-digit year.
_NAMED_MONTH = (
    r"(?i)^(?=.*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"  # a month name
    r"(?=.*\b\d{4}\b)(?=.*\b\d{1,2}\b)"  # a four-digit year and a day
)
EARLIEST = pd.Timestamp("1900-01-01", tz="UTC")
"""No purchase is older: an earlier date is a placeholder (0001-01-01) or a typo."""


def check_date_format(date_format: str) -> None:
    """Raise ValueError saying why ``date_format`` (strftime codes) cannot read purchase dates."""
    if not any(code in date_format for code in ("%Y", "%y")):
        raise ValueError(f"The date format {date_format!r} has no year (%Y or %y).")
    try:
        pd.to_datetime(pd.Series(["2025-01-01"]), format=date_format, errors="coerce")
    except ValueError as error:
        raise ValueError(f"The date format {date_format!r} cannot be used: {error}.") from error


@dataclass(frozen=True)
class DateReading:
    at: pd.Series  # UTC datetimes; NaT where blank, invalid, or numeric (waiting for the day order)
    day_first: pd.Series  # numeric dates read day/month/year (NaT where not numeric or impossible)
    month_first: pd.Series  # numeric dates read month/day/year
    blank: pd.Series
    invalid: pd.Series  # not a date in any form this reader accepts
    day_first_only: pd.Series  # numeric dates only day-first can read: the first number is above 12
    month_first_only: pd.Series  # numeric dates only month-first can read


def read_dates(text: pd.Series, *, date_format: str, time_zone: str) -> DateReading:
    stripped = text.str.strip()
    blank = stripped == ""
    nothing = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    never = pd.Series(False, index=text.index)
    if date_format:
        at = _plausible(_localised(pd.to_datetime(stripped, format=date_format, errors="coerce"), time_zone))
        return DateReading(at, nothing, nothing, blank, at.isna() & ~blank, never, never)
    at = nothing.copy()
    iso = stripped.str.match(_ISO)
    with_offset = iso & stripped.str.contains(_ISO_OFFSET)
    at[with_offset] = pd.to_datetime(stripped[with_offset], format="ISO8601", utc=True, errors="coerce")
    local = iso & ~with_offset
    at[local] = _localised(pd.to_datetime(stripped[local], format="ISO8601", errors="coerce"), time_zone)
    parts = stripped.str.extract(_NUMERIC)
    numeric = parts["first"].notna()
    named = ~iso & ~numeric & ~blank & stripped.str.contains(_NAMED_MONTH)
    at[named] = _localised(pd.to_datetime(stripped[named], format="mixed", errors="coerce"), time_zone)
    at = _plausible(at)
    day_first = _plausible(_assembled(parts, day="first", month="second", time_zone=time_zone))
    month_first = _plausible(_assembled(parts, day="second", month="first", time_zone=time_zone))
    first, second = (pd.to_numeric(parts[name]) for name in ("first", "second"))
    readable = at.notna() | day_first.notna() | month_first.notna()
    return DateReading(
        at=at,
        day_first=day_first,
        month_first=month_first,
        blank=blank,
        invalid=~blank & ~readable,
        day_first_only=numeric & (first > 12) & day_first.notna(),
        month_first_only=numeric & (second > 12) & month_first.notna(),
    )


def _plausible(moments: pd.Series) -> pd.Series:
    return moments.where(moments >= EARLIEST)


def _assembled(parts: pd.DataFrame, *, day: str, month: str, time_zone: str) -> pd.Series:
    """Numeric date parts as datetimes, NaT where the parts make no date (30 February, month 13)."""
    fields = pd.DataFrame(
        {
            "year": pd.to_numeric(parts["year"]),
            "month": pd.to_numeric(parts[month]),
            "day": pd.to_numeric(parts[day]),
            "hour": pd.to_numeric(parts["hour"]).fillna(0),
            "minute": pd.to_numeric(parts["minute"]).fillna(0),
            "second": pd.to_numeric(parts["sec"]).fillna(0),
        }
    )
    present = fields["year"].notna()
    assembled = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[us]")
    if present.any():
        assembled[present] = pd.to_datetime(fields[present], errors="coerce")
    return _localised(assembled, time_zone)


def _localised(values: pd.Series, time_zone: str) -> pd.Series:
    """Naive local datetimes (or already aware ones) in UTC. In the repeated hour when clocks go
    back, the reading is standard time; in the skipped hour, the time just after the change."""
    values = pd.to_datetime(values, errors="coerce").dt.as_unit("us")
    if values.dt.tz is None:
        standard_time = np.zeros(len(values), dtype=bool)
        values = values.dt.tz_localize(time_zone, ambiguous=standard_time, nonexistent="shift_forward")
    return values.dt.tz_convert("UTC")
