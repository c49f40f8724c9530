"""Opening a customer or purchase file and streaming its rows in bounded chunks.

A file is CSV (UTF-8 with or without BOM, else Latin-1; comma, semicolon or tab separated)
or an XLSX workbook (its first sheet). Every cell arrives as text, so that validation can
quote the value the user wrote. Each chunk carries the spreadsheet row number of every
record: the header is row 1, the first data row 2.
"""

import codecs
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

import pandas as pd

from customers.importing import limits as limit
from customers.importing.columns import Columns, HeaderError, HeaderMatch, match_header
from customers.importing.errors import FileRejected, describe_csv_parser_error
from customers.importing.limits import ReadingLimits

CHUNK_ROWS = 100_000
ROW_COLUMN = "row"
_SNIFF_BYTES = 64 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_LEGACY_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_MANGLED = re.compile(r"^.+\.\d+$")


@dataclass(frozen=True)
class TableFile:
    """An opened file: its header matched to fields, a way to stream its rows, and how far through
    the file a row number is (0 to 1, for progress)."""

    header: HeaderMatch
    chunks: Iterator[pd.DataFrame]
    fraction_read: Callable[[int], float]

    def fraction_after(self, chunk: pd.DataFrame) -> float | None:
        """How far through the file a chunk ends (0 to 1); None for a chunk without rows."""
        return self.fraction_read(int(chunk[ROW_COLUMN].iloc[-1])) if len(chunk) else None


def open_table_file(stream: BinaryIO, *, columns: Columns, limits: ReadingLimits) -> TableFile:
    """Check the file's size and kind, match its header, and prepare the row stream.

    Raises FileRejected when the file is empty, too large, binary, has an unusable header, or
    asks for more than a reading limit allows.
    """
    size = _size_of(stream)
    if size == 0:
        raise FileRejected("The file is empty.")
    if size > limits.max_bytes:
        raise FileRejected(
            f"The file is {size / 1_000_000:.1f} MB; the limit is {limits.max_bytes / 1_000_000:g} MB."
        )
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if head.startswith(_XLSX_MAGIC):
        return _open_xlsx(stream, columns, limits)
    if head.startswith(_LEGACY_EXCEL_MAGIC):
        raise FileRejected("This is a legacy Excel (.xls) file; save it as .xlsx or CSV.")
    if head.startswith(_UTF16_BOMS):
        raise FileRejected("This file is UTF-16 text; save it as CSV in UTF-8.")
    if b"\x00" in head:
        raise FileRejected("This is a binary file, not a CSV or XLSX file.")
    return _open_csv(stream, head, columns, limits)


def _size_of(stream: BinaryIO) -> int:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


# CSV


def _open_csv(stream: BinaryIO, head: bytes, columns: Columns, limits: ReadingLimits) -> TableFile:
    encoding = "utf-8-sig" if _is_utf8(stream) else "latin-1"
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text_head.strip():
        raise FileRejected("The file is empty.")
    if not text_head.splitlines()[0].strip():
        raise FileRejected("The first line of the file is empty: the header row must be the first line.")
    separator = _separator_of(text_head.splitlines()[0])
    limit.check_csv_header_line(stream, limits)
    try:
        headers = pd.read_csv(stream, sep=separator, encoding=encoding, dtype=str, nrows=0).columns.tolist()
    except pd.errors.ParserError as error:
        raise FileRejected(describe_csv_parser_error(error)) from error
    finally:
        stream.seek(0)
    limit.check_header_cells([str(header) for header in headers], limits)
    header = _match(_unmangled(headers), columns)
    size = _size_of(stream)
    return TableFile(
        header=header,
        chunks=_csv_chunks(stream, encoding, separator, header, limits),
        fraction_read=lambda row: min(stream.tell() / size, 1.0),
    )


def _is_utf8(stream: BinaryIO) -> bool:
    """Decode the whole file incrementally: a late Latin-1 byte must not break a later chunk."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := stream.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)


def _separator_of(header_line: str) -> str:
    return max((",", ";", "\t"), key=header_line.count)


def _csv_chunks(
    stream: BinaryIO, encoding: str, separator: str, header: HeaderMatch, limits: ReadingLimits
) -> Iterator[pd.DataFrame]:
    field_by_header = {source: field for field, source in header.header_by_field.items()}
    reader = pd.read_csv(
        stream,
        sep=separator,
        encoding=encoding,
        dtype=str,
        na_filter=False,
        skip_blank_lines=False,
        chunksize=CHUNK_ROWS,
    )
    # All columns are parsed (no usecols) so that a row with too many cells is an error
    # rather than silently losing its tail.
    try:
        for chunk in reader:
            if not isinstance(chunk.index, pd.RangeIndex):
                # pandas takes a first row with one cell more than the header as an index column.
                width = len(chunk.columns)
                message = f"Expected {width} fields in line 2, saw {width + 1}"
                raise FileRejected(describe_csv_parser_error(message))
            chunk = chunk[list(field_by_header)].rename(columns=field_by_header)
            chunk[ROW_COLUMN] = chunk.index + 2
            if len(chunk):
                limit.check_row_count(int(chunk[ROW_COLUMN].iloc[-1]), limits)
            limit.check_cell_lengths(chunk, list(field_by_header.values()), ROW_COLUMN, limits)
            yield chunk
    except pd.errors.ParserError as error:
        raise FileRejected(describe_csv_parser_error(error)) from error


def _unmangled(headers: list[str]) -> list[str]:
    """The header cells as written: pandas renames a repeated "Amount" to "Amount.1"."""
    return [
        header.rsplit(".", 1)[0] if _MANGLED.match(header) and header.rsplit(".", 1)[0] in headers else header
        for header in headers
    ]


# XLSX


def _open_xlsx(stream: BinaryIO, columns: Columns, limits: ReadingLimits) -> TableFile:
    import openpyxl  # here, not at the top: every process imports this module, few read a workbook

    limit.check_xlsx_inflated_size(stream, limits)
    try:
        sheet = openpyxl.load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        limit.check_sheet_dimensions(sheet.max_row, sheet.max_column, limits)
        rows = sheet.iter_rows(values_only=True)
        headers = [_cell_text(value) for value in next(rows, ())]
    except FileRejected:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise FileRejected(f"This is not a readable XLSX workbook ({error}).") from error
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        if any(any(value is not None for value in row) for row in islice(rows, 100)):
            raise FileRejected("The first row of the sheet is empty: the header row must be row 1.")
        raise FileRejected("The first sheet of the workbook is empty.")
    limit.check_header_cells(headers, limits)
    header = _match(headers, columns)
    last_row = sheet.max_row or 0  # as the workbook declares it; 0 when it does not
    return TableFile(
        header=header,
        chunks=_xlsx_chunks(rows, headers, header, limits),
        fraction_read=lambda row: min(row / last_row, 1.0) if last_row else 0.0,
    )


def _xlsx_chunks(
    rows: Iterator[tuple], headers: list[str], header: HeaderMatch, limits: ReadingLimits
) -> Iterator[pd.DataFrame]:
    positions = {field: headers.index(source) for field, source in header.header_by_field.items()}
    buffer: list[list[str]] = []
    row_numbers: list[int] = []
    first_empty_row = None
    for row_number, values in enumerate(rows, start=2):
        limit.check_row_count(row_number, limits)
        if any(value not in (None, "") for value in values):
            first_empty_row = None
        elif first_empty_row is None:
            first_empty_row = row_number
        else:
            limit.check_empty_run(first_empty_row, row_number)
        buffer.append([_cell_text(values[i]) if i < len(values) else "" for i in positions.values()])
        row_numbers.append(row_number)
        if len(buffer) == CHUNK_ROWS:
            yield _xlsx_frame(buffer, row_numbers, list(positions), limits)
            buffer, row_numbers = [], []
    if buffer:
        yield _xlsx_frame(buffer, row_numbers, list(positions), limits)


def _xlsx_frame(
    buffer: list[list[str]], row_numbers: list[int], fields: list[str], limits: ReadingLimits
) -> pd.DataFrame:
    frame = pd.DataFrame(buffer, columns=fields, dtype=str)
    frame[ROW_COLUMN] = row_numbers
    limit.check_cell_lengths(frame, fields, ROW_COLUMN, limits)
    return frame


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _match(headers: list[str], columns: Columns) -> HeaderMatch:
    try:
        return match_header([str(header) for header in headers], columns)
    except HeaderError as error:
        raise FileRejected(str(error)) from error
