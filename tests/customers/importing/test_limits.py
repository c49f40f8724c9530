"""Crafted files meet the reader's hard limits (customers.importing.limits) and are refused with
the limit and its setting named, before the work the limit bounds; nothing is written.
Time and memory for the worst of them are measured in bench/ (crafted-file benchmark)."""

import io
import re
import zipfile

import openpyxl
import pytest

from customers.customer_import import customers_import
from customers.importing.columns import normalise_header
from customers.importing.limits import MAX_EMPTY_ROWS_IN_A_ROW
from customers.models import Customer

pytestmark = pytest.mark.django_db
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"
GOOD_ROW = "1,Female,30,40,50\n"


def refused(content: bytes, name: str = "crafted.csv") -> str:
    report = customers_import(file=io.BytesIO(content), file_name=name)
    assert report.rejected and not Customer.objects.exists()
    return str(report.issues[0])


def workbook(rows: list[list], *, edit_sheet=None, extra_parts: dict[str, bytes] | None = None) -> bytes:
    """An XLSX of ``rows``; ``edit_sheet`` rewrites the sheet's XML, ``extra_parts`` adds zip members."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    source, crafted = zipfile.ZipFile(io.BytesIO(saved.getvalue())), io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if edit_sheet and member.filename == "xl/worksheets/sheet1.xml":
                data = edit_sheet(data.decode()).encode()
            target.writestr(member.filename, data)
        for name, data in (extra_parts or {}).items():
            target.writestr(name, data)
    return crafted.getvalue()


HEADER_CELLS = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
CUSTOMER_CELLS = ["1", "Female", 30, 40, 50]
DIMENSION = re.compile(r'<dimension ref="[^"]*" ?/>')


def far_row(number: int) -> str:
    return f'<row r="{number}"><c r="A{number}" t="n"><v>1</v></c></row>'


def test_a_csv_header_of_a_million_columns_is_refused_before_it_is_parsed():
    reason = refused(("c," * 1_000_000 + "\n" + GOOD_ROW).encode())

    assert "The header row is longer than" in reason and "IMPORT_MAX_COLUMNS" in reason


def test_a_header_with_more_columns_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 8
    extra = ",".join(f"x{n}" for n in range(5))

    reason = refused((HEADER.rstrip() + "," + extra + "\n" + GOOD_ROW.rstrip() + ",1,2,3,4,5\n").encode())

    assert "The header row has 10 columns; the limit is 8 (setting IMPORT_MAX_COLUMNS)" in reason


def test_a_header_cell_built_to_stall_the_header_pattern_is_refused_by_its_length():
    cell = "()" * 32_000 + "x"

    reason = refused((HEADER.rstrip() + "," + cell + "\n" + GOOD_ROW.rstrip() + ",1\n").encode())

    assert "Header cell 6 is 64,001 characters long" in reason
    assert normalise_header(cell) == "x"  # the unit pattern no longer backtracks over it


def test_a_used_cell_longer_than_the_limit_is_refused_at_its_row(settings):
    settings.IMPORT_MAX_CELL_CHARS = 50

    reason = refused((HEADER + GOOD_ROW + "2,Female," + "9" * 60 + ",40,50\n").encode())

    assert "Row 3, column age: the cell is longer than 50 characters" in reason


def test_a_csv_with_more_rows_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 10

    reason = refused((HEADER + "".join(f"{n},Female,30,40,50\n" for n in range(20))).encode())

    assert "more than 10 rows (setting IMPORT_MAX_ROWS)" in reason


def test_a_refused_value_is_quoted_short_never_megabytes():
    report = customers_import(file=io.BytesIO((HEADER + "1,Female,30,40," + "z" * 900 + "\n").encode()),
                              file_name="long.csv")  # fmt: skip

    assert report.rejected and len(report.issues[0].value) == 101 and report.issues[0].value.endswith("…")


def test_a_workbook_declaring_a_billion_rows_is_refused_before_its_rows_are_read():
    def one_cell_at_row_a_billion(xml: str) -> str:
        xml = DIMENSION.sub('<dimension ref="A1:E1000000000"/>', xml)
        return xml.replace("</sheetData>", far_row(1_000_000_000) + "</sheetData>")

    reason = refused(workbook([HEADER_CELLS], edit_sheet=one_cell_at_row_a_billion), "far.xlsx")

    assert "The sheet declares 1,000,000,000 rows" in reason


def test_a_workbook_hiding_a_far_row_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 1_000

    def far_row_without_dimension(xml: str) -> str:
        return DIMENSION.sub("", xml).replace("</sheetData>", far_row(5_000_000) + "</sheetData>")

    reason = refused(workbook([HEADER_CELLS], edit_sheet=far_row_without_dimension), "hidden.xlsx")

    assert "more than 1,000 rows (setting IMPORT_MAX_ROWS)" in reason


def test_a_workbook_hiding_a_far_row_stops_at_the_first_long_run_of_empty_rows():
    def far_row_without_dimension(xml: str) -> str:
        return DIMENSION.sub("", xml).replace("</sheetData>", far_row(1_000_000_000) + "</sheetData>")

    reason = refused(
        workbook([HEADER_CELLS, CUSTOMER_CELLS], edit_sheet=far_row_without_dimension), "hidden.xlsx"
    )

    assert reason.startswith(f"Rows 3 to {3 + MAX_EMPTY_ROWS_IN_A_ROW:,} of the sheet are all empty")


def test_empty_rows_between_customers_are_fine_below_the_limit():
    rows = [HEADER_CELLS, CUSTOMER_CELLS, *[[None] * 5] * 1_000, ["2", *CUSTOMER_CELLS[1:]]]

    report = customers_import(file=io.BytesIO(workbook(rows)), file_name="gaps.xlsx")

    assert not report.rejected and report.added == 2


def test_a_workbook_that_inflates_beyond_the_limit_is_refused_unread(settings):
    settings.IMPORT_MAX_XLSX_INFLATED_MB = 1
    bomb = {"xl/padding.xml": b"<a>" + b"A" * 5_000_000 + b"</a>"}

    content = workbook([HEADER_CELLS], extra_parts=bomb)
    reason = refused(content, "bomb.xlsx")

    assert len(content) < 100_000 and "The workbook inflates to 5 MB; the limit is 1 MB" in reason


def test_a_workbook_declaring_more_columns_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 100

    reason = refused(workbook([HEADER_CELLS + [f"x{n}" for n in range(200)]]), "wide.xlsx")

    assert "The sheet declares 205 columns; the limit is 100" in reason
