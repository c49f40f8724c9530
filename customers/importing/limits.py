"""Hard limits on what a customer file may make the reader do, each refused with a clear reason.

A few kilobytes can describe a million header columns, a row numbered a billion or a workbook
that inflates to gigabytes. The reader checks each limit before the work it bounds: the header
line before pandas parses it, a workbook's inflated size and declared sheet size before
openpyxl reads a cell, the row count and runs of empty rows as rows stream.
"""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import pandas as pd

from customers.importing.errors import FileRejected

# A workbook with no declared size and one stray cell at row 1,000,000,000 makes openpyxl yield
# every empty row before it; no customer sheet has this many empty rows in a row.
MAX_EMPTY_ROWS_IN_A_ROW = 100_000


class LimitExceeded(FileRejected):
    """The file asks for more than a limit allows; the message names the limit and its setting."""


@dataclass(frozen=True)
class ReadingLimits:
    max_bytes: int = 100_000_000
    max_columns: int = 100
    max_rows: int = 10_000_000
    max_header_cell_chars: int = 200
    max_cell_chars: int = 1_000
    max_xlsx_inflated_bytes: int = 500_000_000

    @property
    def max_header_line_bytes(self) -> int:
        """The longest header line the column and header-cell limits allow (4 bytes a character)."""
        return self.max_columns * (self.max_header_cell_chars + 3) * 4


def check_header_cells(headers: list[str], limits: ReadingLimits) -> None:
    if len(headers) > limits.max_columns:
        raise LimitExceeded(
            f"The header row has {len(headers):,} columns; the limit is {limits.max_columns} "
            "(setting IMPORT_MAX_COLUMNS)."
        )
    for number, header in enumerate(headers, start=1):
        if len(header) > limits.max_header_cell_chars:
            raise LimitExceeded(
                f"Header cell {number} is {len(header):,} characters long; the limit is "
                f"{limits.max_header_cell_chars} (setting IMPORT_MAX_HEADER_CELL_CHARS)."
            )


def check_csv_header_line(stream: BinaryIO, limits: ReadingLimits) -> None:
    """Refuse a header line longer than the column and header-cell limits allow, before parsing it."""
    line = stream.readline(limits.max_header_line_bytes + 1)
    stream.seek(0)
    if len(line) > limits.max_header_line_bytes and not line.endswith(b"\n"):
        raise LimitExceeded(
            f"The header row is longer than {limits.max_header_line_bytes:,} bytes, more than "
            f"{limits.max_columns} columns of at most {limits.max_header_cell_chars} characters "
            "(settings IMPORT_MAX_COLUMNS, IMPORT_MAX_HEADER_CELL_CHARS)."
        )


def check_cell_lengths(
    chunk: pd.DataFrame, fields: list[str], row_column: str, limits: ReadingLimits
) -> None:
    """Refuse the file at the first cell of a used column longer than the cell limit."""
    for field in fields:
        too_long = chunk[field].str.len() > limits.max_cell_chars
        if too_long.any():
            row = int(chunk[row_column][too_long].iloc[0])
            raise LimitExceeded(
                f"Row {row:,}, column {field}: the cell is longer than {limits.max_cell_chars:,} "
                "characters (setting IMPORT_MAX_CELL_CHARS)."
            )


def check_row_count(row_number: int, limits: ReadingLimits) -> None:
    """Rows are numbered as in a spreadsheet: the header is row 1."""
    if row_number - 1 > limits.max_rows:
        raise LimitExceeded(
            f"The file has more than {limits.max_rows:,} rows (setting IMPORT_MAX_ROWS); "
            f"reading stopped at row {row_number:,}."
        )


def check_empty_run(first_empty_row: int, row_number: int) -> None:
    """Refuse a sheet whose rows ``first_empty_row`` to ``row_number`` are all empty, past a limit."""
    if row_number - first_empty_row >= MAX_EMPTY_ROWS_IN_A_ROW:
        raise LimitExceeded(
            f"Rows {first_empty_row:,} to {row_number:,} of the sheet are all empty: it probably has a "
            "stray cell far below the customers. Delete the empty rows below the data, or save the "
            "sheet as CSV."
        )


def check_xlsx_inflated_size(stream: BinaryIO, limits: ReadingLimits) -> None:
    """Refuse a workbook whose parts inflate beyond the limit (a zip bomb), reading only its index."""
    try:
        inflated = sum(member.file_size for member in zipfile.ZipFile(stream).infolist())
    except zipfile.BadZipFile as error:
        raise LimitExceeded(f"This is not a readable XLSX workbook ({error}).") from error
    finally:
        stream.seek(0)
    if inflated > limits.max_xlsx_inflated_bytes:
        raise LimitExceeded(
            f"The workbook inflates to {inflated / 1_000_000:,.0f} MB; the limit is "
            f"{limits.max_xlsx_inflated_bytes / 1_000_000:,.0f} MB (setting IMPORT_MAX_XLSX_INFLATED_MB)."
        )


def check_sheet_dimensions(max_row: int | None, max_column: int | None, limits: ReadingLimits) -> None:
    """Refuse a sheet whose declared size exceeds the row or column limit, before reading its rows."""
    if max_column is not None and max_column > limits.max_columns:
        raise LimitExceeded(
            f"The sheet declares {max_column:,} columns; the limit is {limits.max_columns} "
            "(setting IMPORT_MAX_COLUMNS)."
        )
    if max_row is not None and max_row - 1 > limits.max_rows:
        raise LimitExceeded(
            f"The sheet declares {max_row:,} rows; the limit is {limits.max_rows:,} "
            "(setting IMPORT_MAX_ROWS)."
        )
