"""Bad purchase files: each refused with its own clear reason, and nothing written.

The purchase twin of ``test_refusals``. Every file also holds good lines that would change a
stored purchase (P-OLD) and add a new one (R-NEW), so a refusal that still wrote anything shows
in the book, compared table by table (customers, purchases, behaviour, imports) before and after.
"""

import io
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

import openpyxl
import pytest
from django.apps import apps

from customers.models import Customer, Purchase
from customers.purchase_import import purchases_import
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER_CELLS = ["CustomerID", "InvoiceNo", "InvoiceDate", "Amount"]
HEADER = ",".join(HEADER_CELLS) + "\n"
GOOD_LINES = "C1,P-OLD,2025-03-04,99\nC2,R-NEW,2025-03-05,7\n"  # rows 2 and 3
PRICED_HEADER = "CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\n"
PRICED_GOOD_LINES = "C1,P-OLD,2025-03-04,3,33\nC2,R-NEW,2025-03-05,1,7\n"
LABELLED_HEADER = "CustomerID,InvoiceNo,InvoiceDate,Amount,Store\n"
LABELLED_GOOD_LINES = "C1,P-OLD,2025-03-04,99,North\nC2,R-NEW,2025-03-05,7,South\n"
FUTURE_DAY = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
AMOUNT_RANGE = "amount must be between -1,000,000 and 1,000,000"
NOT_A_DATE = "not a date (expected e.g."


def csv(*lines: str, header: str = HEADER, good: str = GOOD_LINES) -> bytes:
    """``header``, the good lines (rows 2 and 3), then ``lines`` from row 4."""
    return (header + good + "".join(f"{line}\n" for line in lines)).encode()


def workbook(*rows: list) -> bytes:
    """An XLSX whose first sheet holds ``rows`` from row 1 (an empty list leaves a row empty)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def xlsx(*rows: list, header: list | None = None, good: bool = True) -> bytes:
    """The header, the good lines (rows 2 and 3) unless not ``good``, then ``rows``, as XLSX."""
    lines = [["C1", "P-OLD", "2025-03-04", 99], ["C2", "R-NEW", "2025-03-05", 7]] if good else []
    return workbook(HEADER_CELLS if header is None else header, *lines, *rows)


def not_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def late_nul() -> bytes:
    """A NUL in a purchase ID after the first 64 KB, which are all the reader sniffs for binary."""
    padding = tuple(f"C1,R{n:05d},2025-03-06,1" for n in range(4_000))  # rows 4 to 4003
    content = csv(*padding, "C1,R\x00X,2025-03-06,1")  # row 4004
    assert len(content) > 64 * 1024
    return content


class Refusal(NamedTuple):
    content: bytes
    reason: str | tuple[str, ...]  # found in the text of the first issue (each of them)
    cell: tuple[int, str, str] | None = None  # (row, column, value) of the first issue, for a cell
    file_name: str = "receipts.csv"
    options: dict | None = None  # more arguments to purchases_import
    settings: dict | None = None  # settings for this file only
    issue_count: int = 1


REFUSALS = {
    # Identifiers
    "blank customer id": Refusal(csv(",R9,2025-03-06,1"), "blank cell", (4, "CustomerID", "")),
    "blank purchase id": Refusal(csv("C1,,2025-03-06,1"), "blank cell", (4, "InvoiceNo", "")),
    "unknown customer": Refusal(
        csv("C9,R9,2025-03-06,1"), "customer ID not in the customer book", (4, "CustomerID", "C9")
    ),
    "customer id too long": Refusal(
        csv("X" * 65 + ",R9,2025-03-06,1"), "longer than 64 characters", (4, "CustomerID", "X" * 65)
    ),
    "purchase id too long": Refusal(
        csv("C1," + "R" * 65 + ",2025-03-06,1"), "longer than 64 characters", (4, "InvoiceNo", "R" * 65)
    ),
    "purchase id with a NUL after the first 64 KB": Refusal(
        late_nul(), "contains a NUL character (binary data)", (4004, "InvoiceNo", "R\\x00X")
    ),
    "purchase id shared by two customers": Refusal(
        csv("C2,P-OLD,2025-03-06,1"),
        "purchase ID already used by another customer earlier in the file",
        (4, "InvoiceNo", "P-OLD"),
    ),
    "purchase id of another customer's stored purchase": Refusal(
        csv("C1,P-C2,2025-03-06,5"), "another customer", (4, "InvoiceNo", "P-C2")
    ),
    # Amounts
    "blank amount": Refusal(csv("C1,R9,2025-03-06,"), "blank cell", (4, "Amount", "")),
    "non-numeric amount": Refusal(csv("C1,R9,2025-03-06,ten"), "not a number", (4, "Amount", "ten")),
    "amount 1e308": Refusal(csv("C1,R9,2025-03-06,1e308"), AMOUNT_RANGE, (4, "Amount", "1e308")),
    "amount NaN": Refusal(csv("C1,R9,2025-03-06,NaN"), "not a number", (4, "Amount", "NaN")),
    "amount inf": Refusal(csv("C1,R9,2025-03-06,inf"), "not a number", (4, "Amount", "inf")),
    "amount -inf": Refusal(csv("C1,R9,2025-03-06,-inf"), "not a number", (4, "Amount", "-inf")),
    "amount just out of range": Refusal(
        csv("C1,R9,2025-03-06,1000000.01"), AMOUNT_RANGE, (4, "Amount", "1000000.01")
    ),
    "amount with a decimal comma": Refusal(
        b"CustomerID;InvoiceNo;InvoiceDate;Amount\nC1;P-OLD;2025-03-04;99\nC1;R9;2025-03-06;12,50\n",
        "not a number",
        (3, "Amount", "12,50"),
    ),
    "quantity not a number": Refusal(
        csv("C1,R9,2025-03-06,two,2.5", header=PRICED_HEADER, good=PRICED_GOOD_LINES),
        "not a number",
        (4, "Quantity", "two"),
    ),
    "blank quantity": Refusal(
        csv("C1,R9,2025-03-06,,2.5", header=PRICED_HEADER, good=PRICED_GOOD_LINES),
        "blank cell",
        (4, "Quantity", ""),
    ),
    "negative unit price": Refusal(
        csv("C1,R9,2025-03-06,1,-2.50", header=PRICED_HEADER, good=PRICED_GOOD_LINES),
        "unit price must be between 0 and 1,000,000",
        (4, "UnitPrice", "-2.50"),
    ),
    "quantity times unit price out of range": Refusal(
        csv("C1,R9,2025-03-06,100000,1000", header=PRICED_HEADER, good=PRICED_GOOD_LINES),
        "quantity × unit price must be between -1,000,000 and 1,000,000",
        (4, "Quantity", "100000"),
    ),
    # Store
    "store longer than 100 characters": Refusal(
        csv("C1,R9,2025-03-06,1," + "S" * 101, header=LABELLED_HEADER, good=LABELLED_GOOD_LINES),
        "longer than 100 characters",
        (4, "Store", "S" * 100 + "…"),  # a report quotes at most 100 characters
    ),
    # Dates
    "blank date": Refusal(csv("C1,R9,,1"), "blank cell", (4, "InvoiceDate", "")),
    "impossible date 2025-02-30": Refusal(
        csv("C1,R9,2025-02-30,1"), NOT_A_DATE, (4, "InvoiceDate", "2025-02-30")
    ),
    "impossible date 31/04/2025": Refusal(
        csv("C1,R9,31/04/2025,1"), NOT_A_DATE, (4, "InvoiceDate", "31/04/2025")
    ),
    "29 February of a common year": Refusal(
        csv("C1,R9,29/02/2025,1"), NOT_A_DATE, (4, "InvoiceDate", "29/02/2025")
    ),
    "a future date": Refusal(
        csv(f"C1,R9,{FUTURE_DAY},1"), "the date is in the future", (4, "InvoiceDate", FUTURE_DAY)
    ),
    "text date 'yesterday'": Refusal(csv("C1,R9,yesterday,1"), NOT_A_DATE, (4, "InvoiceDate", "yesterday")),
    "text date 'today'": Refusal(csv("C1,R9,today,1"), "date", (4, "InvoiceDate", "today")),
    "date without a year": Refusal(csv("C1,R9,1 Dec,1"), "date", (4, "InvoiceDate", "1 Dec")),
    "month without a day": Refusal(csv("C1,R9,Mar 2025,1"), "date", (4, "InvoiceDate", "Mar 2025")),
    "placeholder date 0001-01-01": Refusal(
        csv("C1,R9,0001-01-01,1"), "date", (4, "InvoiceDate", "0001-01-01")
    ),
    "ambiguous numeric dates without a format": Refusal(
        csv("C1,R9,03/04/2025,1"),
        "The dates are ambiguous: 1 date(s) such as '03/04/2025' could be day-first or month-first",
    ),
    "day-first and month-first dates mixed": Refusal(
        csv("C1,R9,13/04/2025,1", "C1,R10,04/14/2025,1"),
        "day-first (row 4: '13/04/2025') and month-first (row 5: '04/14/2025')",
    ),
    "date not in the given --date-format": Refusal(
        csv("C1,R9,2025-03-06,1", good="C1,P-OLD,04/03/2025,99\nC2,R-NEW,05/03/2025,7\n"),
        "not a date in the format %d/%m/%Y",
        (4, "InvoiceDate", "2025-03-06"),
        options={"date_format": "%d/%m/%Y"},
    ),
    "a --date-format pandas cannot use": Refusal(
        csv("C1,R9,06/03/2025,1", good=""), "%Q", options={"date_format": "%d/%m/%Y %Q"}
    ),
    # Header
    "missing date column": Refusal(
        b"CustomerID,InvoiceNo,Amount\nC1,P-OLD,99\n",
        "Missing required column(s): purchased_at (e.g. 'InvoiceDate')",
    ),
    "neither amount nor quantity": Refusal(
        b"CustomerID,InvoiceNo,InvoiceDate,UnitPrice\nC1,P-OLD,2025-03-04,99\n",
        "Missing required column(s): amount (e.g. 'Amount') (an amount column, or Quantity and UnitPrice",
    ),
    "two columns meaning amount": Refusal(
        b"CustomerID,InvoiceNo,InvoiceDate,Amount,Total\nC1,P-OLD,2025-03-04,99,99\n",
        "Columns 'Amount' and 'Total' both mean amount; keep only one of them.",
    ),
    "two columns named Amount": Refusal(
        b"CustomerID,InvoiceNo,InvoiceDate,Amount,Amount\nC1,P-OLD,2025-03-04,99,1\n",
        "Columns 'Amount' and 'Amount' both mean amount",
    ),
    "header row of 101 columns": Refusal(
        csv(header=",".join(HEADER_CELLS + [f"x{n}" for n in range(97)]) + "\n", good=""),
        "The header row has 101 columns; the limit is 100 (setting IMPORT_MAX_COLUMNS).",
    ),
    # The shape of the CSV
    "ragged row": Refusal(
        csv("C1,R9,2025-03-06,1,extra"),
        "not well-formed CSV: row 4 has 5 cells but the header has 4; look for a stray separator",
    ),
    "first row one cell longer than the header": Refusal(
        csv(good="C1,P-OLD,2025-03-04,99,extra\nC2,R-NEW,2025-03-05,7\n"),
        "row 2 has 5 cells but the header has 4",
    ),
    "unterminated quote": Refusal(csv('C1,R9,"2025-03-06,1'), ("not well-formed CSV", "row 4")),
    "unterminated quote in the first line": Refusal(
        csv('C1,R9,"2025-03-06,1', good=""), ("not well-formed CSV", "row 2")
    ),
    "header only": Refusal(HEADER.encode(), "The file has a header row but no purchase lines."),
    "header and blank lines only": Refusal(
        (HEADER + "\n,,,\n\n").encode(), "The file has a header row but no purchase lines."
    ),
    "every line invalid, skipping invalid lines": Refusal(
        csv("C9,R9,2025-03-06,1", good="C1,R8,2025-02-30,1\n"),
        "None of the lines is valid, so there is nothing to import.",
        options={"skip_invalid": True},
        issue_count=3,
    ),
    # Not CSV text at all
    "empty file": Refusal(b"", "The file is empty."),
    "white space only": Refusal(b" \n\t\n", "The file is empty."),
    "binary file": Refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "utf-16 text": Refusal(
        csv().decode().encode("utf-16"), "This file is UTF-16 text; save it as CSV in UTF-8."
    ),
    "legacy .xls": Refusal(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "legacy Excel (.xls)", file_name="receipts.xls"
    ),
    # Workbooks
    "xlsx: amount not a number": Refusal(
        xlsx(["C1", "R9", "2025-03-06", "ten"]), "not a number", (4, "Amount", "ten"), "receipts.xlsx"
    ),
    "xlsx: impossible date": Refusal(
        xlsx(["C1", "R9", "2025-02-30", 1]), NOT_A_DATE, (4, "InvoiceDate", "2025-02-30"), "receipts.xlsx"
    ),
    "xlsx: future date cell": Refusal(
        xlsx(["C1", "R9", datetime(2999, 1, 1), 1]),
        "the date is in the future",
        (4, "InvoiceDate", "2999-01-01 00:00:00"),
        "receipts.xlsx",
    ),
    "xlsx: unknown numeric customer id": Refusal(
        xlsx([42, "R9", "2025-03-06", 1]),
        "customer ID not in the customer book",
        (4, "CustomerID", "42"),
        "receipts.xlsx",
    ),
    "xlsx: two columns named Amount": Refusal(
        xlsx(header=[*HEADER_CELLS, "Amount"]),
        "Columns 'Amount' and 'Amount' both mean amount",
        file_name="receipts.xlsx",
    ),
    "xlsx: 101 columns": Refusal(
        xlsx(header=HEADER_CELLS + [f"x{n}" for n in range(97)]),
        "The sheet declares 101 columns; the limit is 100 (setting IMPORT_MAX_COLUMNS).",
        file_name="receipts.xlsx",
    ),
    "xlsx: header only": Refusal(
        xlsx(good=False), "The file has a header row but no purchase lines.", file_name="receipts.xlsx"
    ),
    "xlsx: empty sheet": Refusal(workbook(), "The first sheet of the workbook is empty.", file_name="e.xlsx"),
    "xlsx: header below an empty first row": Refusal(
        workbook([], HEADER_CELLS, ["C1", "R9", "2025-03-06", 1]), "header", file_name="receipts.xlsx"
    ),
    "xlsx: damaged": Refusal(not_a_workbook(), "This is not a readable XLSX workbook", file_name="r.xlsx"),
    "xlsx: truncated": Refusal(
        xlsx()[:2_000], "This is not a readable XLSX workbook", file_name="receipts.xlsx"
    ),
    # Limits
    "over the row limit": Refusal(
        csv("C1,R9,2025-03-06,1"),
        "The file has more than 2 rows (setting IMPORT_MAX_ROWS)",
        settings={"IMPORT_MAX_ROWS": 2},
    ),
    "xlsx: over the row limit": Refusal(
        xlsx(["C1", "R9", "2025-03-06", 1]),
        "The sheet declares 4 rows; the limit is 2 (setting IMPORT_MAX_ROWS).",
        file_name="receipts.xlsx",
        settings={"IMPORT_MAX_ROWS": 2},
    ),
    "over the size limit": Refusal(csv(), "the limit is 5e-05 MB", settings={"IMPORT_MAX_FILE_MB": 0.00005}),
    "cell over the cell limit": Refusal(
        csv("C1," + "R" * 1_001 + ",2025-03-06,1"),
        "Row 4, column purchase_id: the cell is longer than 1,000 characters (setting IMPORT_MAX_CELL_CHARS)",
    ),
}

# name -> what the importer does instead of refusing the file as above


@pytest.fixture
def book_before():
    """Customers C1 to C3; C1 has purchase P-OLD of two lines, C2 purchase P-C2. Returns the book."""
    c1, c2, _ = (CustomerFactory(external_id=external_id) for external_id in ("C1", "C2", "C3"))
    moment = datetime(2025, 1, 10, 12, tzinfo=UTC)
    for customer, purchase_id, line, amount in (
        (c1, "P-OLD", 1, "10"),
        (c1, "P-OLD", 2, "5"),
        (c2, "P-C2", 1, "8"),
    ):
        Purchase.objects.create(
            customer=customer,
            purchase_id=purchase_id,
            line=line,
            purchased_at=moment,
            amount=Decimal(amount),
            store="North",
            category="Shoes",
        )
    return book_contents()


def book_contents() -> dict[str, list[dict]]:
    """Every row of every table of the customer book, with its timestamps."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("customers").get_models()
    }


def stored_purchases() -> list[tuple]:
    return list(
        Purchase.objects.order_by("purchase_id", "line").values_list(
            "customer__external_id", "purchase_id", "line", "amount"
        )
    )


@pytest.mark.parametrize("name", list(REFUSALS))
def test_bad_purchase_file_is_refused_with_its_reason_and_nothing_is_written(name, book_before, settings):
    refusal = REFUSALS[name]
    for setting, value in (refusal.settings or {}).items():
        setattr(settings, setting, value)
    purchases_before = stored_purchases()

    report = purchases_import(
        file=io.BytesIO(refusal.content), file_name=refusal.file_name, **(refusal.options or {})
    )

    assert report.rejected
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    first = report.issues[0]
    fragments = (refusal.reason,) if isinstance(refusal.reason, str) else refusal.reason
    assert all(fragment in first.reason for fragment in fragments), [str(issue) for issue in report.issues]
    if refusal.cell:
        assert (first.row, first.column, first.value) == refusal.cell
    else:
        assert (first.row, first.column, first.value) == (None, None, None)
    assert report.issue_count == refusal.issue_count, [str(issue) for issue in report.issues]
    assert stored_purchases() == purchases_before
    assert book_contents() == book_before


def test_the_catalogue_holds_at_least_24_kinds_of_bad_file():
    assert len(REFUSALS) >= 24


def test_skipping_invalid_lines_imports_only_the_good_ones(book_before):
    content = csv(
        ",R1,2025-03-06,1",  # row 4
        "C1,,2025-03-06,1",
        "C9,R2,2025-03-06,1",
        "C1,R3,2025-03-06,ten",
        "C1,R4,2025-03-06,1e308",
        "C1,R5,2025-03-06,NaN",  # row 9
        "C1,R6,2025-02-30,1",
        f"C1,R7,{FUTURE_DAY},1",
        "C2,P-OLD,2025-03-06,1",  # row 12: P-OLD is C1's on row 2
        "C3,R8,2025-03-07,12.5",
    )

    report = purchases_import(file=io.BytesIO(content), file_name="receipts.csv", skip_invalid=True)

    assert not report.rejected
    assert (report.added, report.updated, report.removed, report.skipped) == (2, 1, 1, 9)
    assert [(issue.row, issue.column) for issue in report.issues] == [
        (4, "CustomerID"),
        (5, "InvoiceNo"),
        (6, "CustomerID"),
        (7, "Amount"),
        (8, "Amount"),
        (9, "Amount"),
        (10, "InvoiceDate"),
        (11, "InvoiceDate"),
        (12, "InvoiceNo"),
    ]
    assert stored_purchases() == [
        ("C2", "P-C2", 1, Decimal("8.00")),  # untouched
        ("C1", "P-OLD", 1, Decimal("99.00")),  # its second line is gone: the file has one
        ("C2", "R-NEW", 1, Decimal("7.00")),
        ("C3", "R8", 1, Decimal("12.50")),
    ]
    assert list(Customer.objects.order_by("pk").values()) == book_before["Customer"]


def test_a_placeholder_date_in_an_empty_purchase_book_is_refused_not_a_crash():
    CustomerFactory(external_id="C1")

    report = purchases_import(
        file=io.BytesIO((HEADER + "C1,R1,0001-01-01,1\n").encode()), file_name="receipts.csv"
    )

    assert report.rejected and not Purchase.objects.exists()
    assert (report.issues[0].row, report.issues[0].value) == (2, "0001-01-01")


def test_blank_lines_before_the_header_give_a_report_not_an_exception(book_before):
    content = b"\n\n" + csv("C1,R9,2025-03-06,ten")

    report = purchases_import(file=io.BytesIO(content), file_name="receipts.csv")

    assert report.rejected
    assert book_contents() == book_before
