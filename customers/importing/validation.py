"""Checking one chunk of raw rows, column by column, with vectorised pandas operations.

Every refused cell becomes an ImportIssue naming row, column, value and reason; the rows
that pass come back typed and ready for the bulk writer.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from customers.importing.reading import ROW_COLUMN
from customers.importing.report import ImportIssue, ImportReport
from customers.models import (
    AGE_RANGE,
    ANNUAL_INCOME_RANGE,
    EXTERNAL_ID_MAX_LENGTH,
    SPENDING_SCORE_RANGE,
    Gender,
)

_GENDER_BY_TEXT = {
    **dict.fromkeys(("female", "f", "woman", "w"), Gender.FEMALE.value),
    **dict.fromkeys(("male", "m", "man"), Gender.MALE.value),
    **dict.fromkeys(
        ("other", "o", "x", "unknown", "u", "non-binary", "nonbinary", "diverse", "prefer not to say"),
        Gender.OTHER.value,
    ),
}

# field -> (whole numbers only, (low, high))
_NUMERIC_RULES = {
    "age": (True, AGE_RANGE),
    "annual_income": (False, ANNUAL_INCOME_RANGE),
    "spending_score": (True, SPENDING_SCORE_RANGE),
}


@dataclass(frozen=True)
class CheckedChunk:
    valid: pd.DataFrame  # typed rows that passed, with their ROW_COLUMN
    invalid_row_count: int
    blank_row_count: int


def check_chunk(raw: pd.DataFrame, *, header_by_field: dict[str, str], report: ImportReport) -> CheckedChunk:
    """Validate ``raw`` (text cells, one column per field) and type the rows that pass."""
    fields = list(header_by_field)
    text = raw[fields].apply(lambda column: column.str.strip())
    blank_rows = (text == "").all(axis=1)
    text, rows = text[~blank_rows], raw.loc[~blank_rows, ROW_COLUMN]

    typed = pd.DataFrame({ROW_COLUMN: rows})
    invalid = pd.Series(False, index=text.index)
    for field in fields:
        values, problems = _check_field(field, text[field])
        typed[field] = values
        for reason, mask in problems:
            invalid |= mask
            column = header_by_field[field]
            issues = (
                ImportIssue(reason, row=int(row), column=column, value=value)
                for row, value in zip(rows[mask], text[field][mask], strict=True)
            )
            report.add_issues(issues, count=int(mask.sum()))
    return CheckedChunk(
        valid=typed[~invalid].astype(_DTYPES),
        invalid_row_count=int(invalid.sum()),
        blank_row_count=int(blank_rows.sum()),
    )


_DTYPES = {
    ROW_COLUMN: "int64",
    "external_id": "str",
    "gender": "str",
    "age": "int64",
    "annual_income": "float64",
    "spending_score": "int64",
}

Problems = list[tuple[str, pd.Series]]


def _check_field(field: str, text: pd.Series) -> tuple[pd.Series, Problems]:
    blank = text == ""
    problems: Problems = [("blank cell", blank)]
    if field == "external_id":
        too_long = text.str.len() > EXTERNAL_ID_MAX_LENGTH
        problems.append((f"longer than {EXTERNAL_ID_MAX_LENGTH} characters", too_long))
        return text, problems
    if field == "gender":
        genders = text.str.lower().map(_GENDER_BY_TEXT)
        problems.append(("unknown gender (expected Female, Male or Other)", genders.isna() & ~blank))
        return genders.fillna(""), problems
    return _check_number(field, text, blank, problems)


def _check_number(
    field: str, text: pd.Series, blank: pd.Series, problems: Problems
) -> tuple[pd.Series, Problems]:
    whole_only, (low, high) = _NUMERIC_RULES[field]
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    not_number = (numbers.isna() | ~np.isfinite(numbers)) & ~blank
    problems.append(("not a number", not_number))
    usable = ~blank & ~not_number
    if whole_only:
        problems.append(("not a whole number", usable & (numbers % 1 != 0)))
    label = field.replace("_", " ")
    out_of_range = usable & ((numbers < low) | (numbers > high))
    problems.append((f"out of range: {label} must be between {low:,} and {high:,}", out_of_range))
    return numbers.fillna(0), problems
