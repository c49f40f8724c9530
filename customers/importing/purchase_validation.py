"""Checking one chunk of raw purchase lines (see ``validation`` for the shared cell checks).

What a chunk cannot decide alone is left to the import, which sees the whole file: the day
order of numeric dates (each chunk returns its evidence), whether the customer exists, dates
in the future and a purchase ID used by two customers.
"""

import pandas as pd

from customers.importing.dates import read_dates
from customers.importing.day_order import CheckedDatedRows, checked_dated_rows
from customers.importing.reading import ROW_COLUMN
from customers.importing.report import ImportReport
from customers.importing.validation import FieldCheck, check_date, check_identifier, check_number, sort_rows
from customers.models import (
    EXTERNAL_ID_MAX_LENGTH,
    PURCHASE_AMOUNT_RANGE,
    PURCHASE_ID_MAX_LENGTH,
    PURCHASE_LABEL_MAX_LENGTH,
)

QUANTITY_RANGE = (-100_000, 100_000)
UNIT_PRICE_RANGE = (0, PURCHASE_AMOUNT_RANGE[1])
STAGED_COLUMNS = (
    ROW_COLUMN, "external_id", "purchase_id", "purchased_at", "day_first_at", "month_first_at",
    "date_text", "amount", "store", "category",
)  # fmt: skip


def check_purchase_chunk(
    raw: pd.DataFrame,
    *,
    header_by_field: dict[str, str],
    report: ImportReport,
    date_format: str,
    time_zone: str,
) -> CheckedDatedRows:
    """Validate ``raw`` (text cells, one column per field), report problems, type the rest."""
    dates = read_dates(raw["purchased_at"], date_format=date_format, time_zone=time_zone)
    checks = {
        "external_id": check_identifier(raw["external_id"], max_length=EXTERNAL_ID_MAX_LENGTH),
        "purchase_id": check_identifier(raw["purchase_id"], max_length=PURCHASE_ID_MAX_LENGTH),
        "purchased_at": check_date(dates, date_format),
        **_amount_checks(raw, header_by_field),
        **{field: _label_check(raw[field]) for field in ("store", "category") if field in header_by_field},
    }
    keep, invalid_count, blank_count = sort_rows(raw, checks, header_by_field=header_by_field, report=report)
    labels = {
        field: checks[field].values if field in checks else pd.Series("", index=raw.index)
        for field in ("store", "category")
    }
    return checked_dated_rows(
        raw,
        date_field="purchased_at",
        at_column="purchased_at",
        dates=dates,
        keep=keep,
        values={
            "external_id": checks["external_id"].values,
            "purchase_id": checks["purchase_id"].values,
            "amount": _amounts(checks),
            **labels,
        },
        invalid_count=invalid_count,
        blank_count=blank_count,
    )


def _amount_checks(raw: pd.DataFrame, header_by_field: dict[str, str]) -> dict[str, FieldCheck]:
    """The line's amount, or its quantity and unit price when the file has no amount column."""
    if "amount" in header_by_field:
        return {
            "amount": check_number(
                raw["amount"], whole_only=False, value_range=PURCHASE_AMOUNT_RANGE, label="amount"
            )
        }
    quantity = check_number(raw["quantity"], whole_only=False, value_range=QUANTITY_RANGE, label="quantity")
    price = check_number(
        raw["unit_price"], whole_only=False, value_range=UNIT_PRICE_RANGE, label="unit price"
    )
    low, high = PURCHASE_AMOUNT_RANGE
    product = quantity.values * price.values
    quantity.problems.append(
        (
            f"out of range: quantity × unit price must be between {low:,} and {high:,}",
            (product < low) | (product > high),
        )
    )
    return {"quantity": quantity, "unit_price": price}


def _amounts(checks: dict[str, FieldCheck]) -> pd.Series:
    values = (
        checks["amount"].values
        if "amount" in checks
        else checks["quantity"].values * checks["unit_price"].values
    )
    return values.where(values.abs() <= PURCHASE_AMOUNT_RANGE[1], 0).round(2)  # refused lines: any value


def _label_check(text: pd.Series) -> FieldCheck:
    """An optional store or category name."""
    labels = text.str.strip()
    problems = [
        (f"longer than {PURCHASE_LABEL_MAX_LENGTH} characters", labels.str.len() > PURCHASE_LABEL_MAX_LENGTH),
        ("contains a NUL character (binary data)", labels.str.contains("\x00", regex=False)),
    ]
    return FieldCheck(values=labels, blank=labels == "", problems=problems)
