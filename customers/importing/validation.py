"""Checking one chunk of raw rows, column by column, with vectorised pandas operations.

Every refused cell becomes an ImportIssue naming row, column, value and reason; the rows
that pass come back typed and ready for the bulk writer. Rows whose cells are all blank
are ignored, not refused.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.text import number_text
from customers.importing.dates import DateReading
from customers.importing.reading import ROW_COLUMN
from customers.importing.report import ImportIssue, ImportReport
from customers.models import (
    AGE_RANGE,
    ANNUAL_INCOME_RANGE,
    EXTERNAL_ID_MAX_LENGTH,
    SPENDING_SCORE_RANGE,
    Gender,
)

NOT_A_DATE = "not a date (expected e.g. 2025-03-31, 2025-03-31 14:05, 31/03/2025 or 31 Mar 2025)"
_GENDER_WORDS = {
    Gender.FEMALE.value: ("female", "f", "woman", "w"),
    Gender.MALE.value: ("male", "m", "man"),
    Gender.OTHER.value: (
        "other", "o", "x", "unknown", "u", "non-binary", "nonbinary", "diverse", "prefer not to say"
    ),
}  # fmt: skip
_GENDER_BY_WORD = {word: gender for gender, words in _GENDER_WORDS.items() for word in words}
# The spellings files commonly use, so most cells map without string normalisation.
_GENDER_BY_TEXT = {
    spelling: gender
    for word, gender in _GENDER_BY_WORD.items()
    for spelling in (word, word.capitalize(), word.upper(), word.title())
}

# field -> (whole numbers only, (low, high))
_NUMERIC_RULES = {
    "age": (True, AGE_RANGE),
    "annual_income": (False, ANNUAL_INCOME_RANGE),
    "spending_score": (True, SPENDING_SCORE_RANGE),
}
_DTYPES = {
    "external_id": "str",
    "gender": "str",
    "age": "int64",
    "annual_income": "float64",
    "spending_score": "int64",
}


@dataclass(frozen=True)
class FieldCheck:
    values: pd.Series  # typed values (placeholders where invalid)
    blank: pd.Series  # cells with nothing but white space
    problems: list[tuple[str, pd.Series]]  # (reason, mask of refused cells)


@dataclass(frozen=True)
class CheckedChunk:
    valid: pd.DataFrame  # typed rows that passed, with their ROW_COLUMN
    invalid_row_count: int
    blank_row_count: int


def check_chunk(
    raw: pd.DataFrame,
    *,
    header_by_field: dict[str, str],
    report: ImportReport,
    attribute_ranges: dict[str, tuple[float, float]] | None = None,
) -> CheckedChunk:
    """Validate ``raw`` (text cells, one column per field), report problems, type the rest.

    ``attribute_ranges`` gives the valid range of each declared attribute's field; an attribute
    cell may be blank (the customer has no value), never out of range.
    """
    attribute_ranges = attribute_ranges or {}
    checks = {
        field: _check_attribute(raw[field], attribute_ranges[field], header_by_field[field])
        if field in attribute_ranges
        else _check_field(field, raw[field])
        for field in header_by_field
    }
    keep, invalid_count, blank_count = sort_rows(raw, checks, header_by_field=header_by_field, report=report)
    valid = pd.DataFrame({ROW_COLUMN: raw[ROW_COLUMN][keep]})
    for field, check in checks.items():
        if field in attribute_ranges:
            valid[field] = check.values[keep].where(~check.blank[keep]).astype("float64")
        else:
            valid[field] = check.values[keep].astype(_DTYPES[field])
    return CheckedChunk(valid=valid, invalid_row_count=invalid_count, blank_row_count=blank_count)


def sort_rows(
    raw: pd.DataFrame, checks: dict[str, FieldCheck], *, header_by_field: dict[str, str], report: ImportReport
) -> tuple[pd.Series, int, int]:
    """Report every refused cell; return which rows to keep, and how many were invalid and blank.

    A row whose checked cells are all blank is skipped silently, not refused."""
    blank_rows = np.logical_and.reduce([check.blank for check in checks.values()])
    invalid = pd.Series(False, index=raw.index)
    for field, check in checks.items():
        for reason, refused in check.problems:
            refused = refused & ~blank_rows
            if refused.any():
                invalid |= refused
                _report(report, reason, header_by_field[field], raw[ROW_COLUMN][refused], raw[field][refused])
    return ~invalid & ~blank_rows, int(invalid.sum()), int(blank_rows.sum())


def _report(report: ImportReport, reason: str, column: str, rows: pd.Series, values: pd.Series) -> None:
    issues = (
        ImportIssue(reason, row=int(row), column=column, value=value)
        for row, value in zip(rows, values, strict=True)
    )
    report.add_issues(issues, count=len(rows))


def _check_field(field: str, text: pd.Series) -> FieldCheck:
    if field == "external_id":
        return check_identifier(text, max_length=EXTERNAL_ID_MAX_LENGTH)
    if field == "gender":
        return _check_gender(text)
    whole_only, value_range = _NUMERIC_RULES[field]
    return check_number(text, whole_only=whole_only, value_range=value_range, label=field.replace("_", " "))


def _check_attribute(text: pd.Series, value_range: tuple[float, float], header: str) -> FieldCheck:
    return optional(check_number(text, whole_only=False, value_range=value_range, label=header))


def optional(check: FieldCheck) -> FieldCheck:
    """``check`` without its "blank cell" refusal, for a cell that may be left empty."""
    problems = [(reason, refused) for reason, refused in check.problems if reason != "blank cell"]
    return FieldCheck(values=check.values, blank=check.blank, problems=problems)


def check_identifier(text: pd.Series, *, max_length: int) -> FieldCheck:
    """An ID: any text up to ``max_length`` characters, without a NUL."""
    ids = text.str.strip()
    blank = ids == ""
    too_long = ids.str.len() > max_length
    # Only the file's first 64 KB are sniffed for binary content; a NUL later would reach the
    # database, which cannot store it.
    has_nul = ids.str.contains("\x00", regex=False)
    problems = [
        ("blank cell", blank),
        (f"longer than {max_length} characters", too_long),
        ("contains a NUL character (binary data)", has_nul),
    ]
    return FieldCheck(values=ids, blank=blank, problems=problems)


def check_date(dates: DateReading, date_format: str) -> FieldCheck:
    """Dates as ``dates.read_dates`` read them; numeric ones may still wait for the file's day order."""
    reason = f"not a date in the format {date_format}" if date_format else NOT_A_DATE
    return FieldCheck(
        values=dates.at, blank=dates.blank, problems=[("blank cell", dates.blank), (reason, dates.invalid)]
    )


def _check_gender(text: pd.Series) -> FieldCheck:
    genders = text.map(_GENDER_BY_TEXT)
    unmapped = genders.isna()
    normalised = text[unmapped].str.strip().str.lower()
    genders[unmapped] = normalised.map(_GENDER_BY_WORD)
    blank = _blank_where(unmapped, normalised)
    unknown = genders.isna() & ~blank
    problems = [("blank cell", blank), ("unknown gender (expected Female, Male or Other)", unknown)]
    return FieldCheck(values=genders.fillna(""), blank=blank, problems=problems)


def check_number(
    text: pd.Series, *, whole_only: bool, value_range: tuple[float, float], label: str
) -> FieldCheck:
    """A finite number within ``value_range`` (both ends included); whole if ``whole_only``."""
    low, high = value_range
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    unusable = ~np.isfinite(numbers)
    blank = _blank_where(unusable, text[unusable].str.strip())
    problems = [("blank cell", blank), ("not a number", unusable & ~blank)]
    if whole_only:
        problems.append(("not a whole number", ~unusable & (numbers % 1 != 0)))
    out_of_range = ~unusable & ((numbers < low) | (numbers > high))
    bounds = f"between {number_text(low)} and {number_text(high)}"
    problems.append((f"out of range: {label} must be {bounds}", out_of_range))
    return FieldCheck(values=numbers.where(~unusable, 0), blank=blank, problems=problems)


def _blank_where(candidates: pd.Series, stripped: pd.Series) -> pd.Series:
    """A full-length mask: True where a candidate cell stripped to nothing."""
    blank = pd.Series(False, index=candidates.index)
    blank[stripped.index[stripped == ""]] = True
    return blank
