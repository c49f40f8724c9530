"""Importing purchase lines (customers.purchase_import): tolerant headers, amounts or quantity ×
price, dates in every accepted form and never guessed, upsert by purchase ID and line (the same
file twice changes nothing), and the file-level refusals (unknown customers, future dates, a
purchase ID shared by two customers), all or nothing unless invalid lines are skipped."""

import io
from decimal import Decimal

import pytest

from customers.models import CustomerBehaviour, Purchase
from customers.purchase_import import purchases_import
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HEADER = "CustomerID,InvoiceNo,InvoiceDate,Amount\n"


@pytest.fixture
def book():
    for external_id in ("C1", "C2"):
        CustomerFactory(external_id=external_id)


def imported(text: str, **options):
    return purchases_import(file=io.BytesIO(text.encode()), file_name="receipts.csv", **options)


def stored() -> list[tuple]:
    return list(
        Purchase.objects.order_by("purchase_id", "line").values_list(
            "customer__external_id", "purchase_id", "line", "purchased_at__date", "amount"
        )
    )


def test_lines_are_stored_numbered_within_their_purchase(book):
    report = imported(HEADER + "C1,R1,2025-03-04,10.50\nC1,R1,2025-03-04,-2.5\nC2,R2,2025-03-05 14:05,7\n")

    assert (report.rejected, report.added, report.summary()) == (
        False,
        3,
        "receipts.csv: 3 added, 0 updated, 0 unchanged.",
    )
    assert [(customer, purchase, line, amount) for customer, purchase, line, _, amount in stored()] == [
        ("C1", "R1", 1, Decimal("10.50")),
        ("C1", "R1", 2, Decimal("-2.50")),
        ("C2", "R2", 1, Decimal("7.00")),
    ]


def test_the_same_file_twice_changes_nothing(book):
    text = HEADER + "C1,R1,2025-03-04,10.50\nC1,R1,2025-03-04,3\nC2,R2,2025-03-05,7\n"
    imported(text)
    before = stored()

    again = imported(text)

    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)
    assert stored() == before


def test_a_reimported_purchase_is_replaced_by_its_new_lines(book):
    imported(HEADER + "C1,R1,2025-03-04,10\nC1,R1,2025-03-04,3\nC2,R2,2025-03-05,7\n")

    report = imported(HEADER + "C1,R1,2025-03-04,12\n")

    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert [(purchase, line, amount) for _, purchase, line, _, amount in stored()] == [
        ("R1", 1, Decimal("12.00")),
        ("R2", 1, Decimal("7.00")),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Customer ID,Invoice,Date,Total",
        "customer_id,receipt,purchase_date,value",
        "CUSTOMER,transaction_id,InvoiceDate,spend",
    ],
)
def test_headers_are_recognised_by_their_synonyms(book, header):
    assert imported(f"{header}\nC1,R1,2025-03-04,10\n").added == 1


def test_without_an_amount_column_the_amount_is_quantity_times_unit_price(book):
    report = imported(
        "CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\nC1,R1,2025-03-04,3,2.55\nC1,R1,2025-03-04,-1,2.55\n"
    )

    assert report.added == 2
    assert [amount for *_, amount in stored()] == [Decimal("7.65"), Decimal("-2.55")]


def test_store_and_category_are_kept_when_present(book):
    imported("CustomerID,InvoiceNo,InvoiceDate,Amount,Store,Category\nC1,R1,2025-03-04,10,North,Shoes\n")

    assert Purchase.objects.values_list("store", "category").get() == ("North", "Shoes")


# DATES


@pytest.mark.parametrize(
    "dates, expected",
    [
        (("13/04/2025", "03/04/2025"), ("2025-04-13", "2025-04-03")),  # a day above 12: day-first
        (("04/13/2025", "03/04/2025"), ("2025-04-13", "2025-03-04")),  # a day above 12: month-first
        (("2025-03-04T10:00:00", "1 Dec 2024"), ("2025-03-04", "2024-12-01")),
        (("13.04.2025 09:30", "03.04.2025"), ("2025-04-13", "2025-04-03")),
    ],
)
def test_dates_are_read_in_the_form_the_file_shows(book, dates, expected):
    report = imported(HEADER + "".join(f"C1,R{n},{date},1\n" for n, date in enumerate(dates)))

    assert not report.rejected, report.issues
    assert [str(day) for *_, day, _ in stored()] == list(expected)


def test_ambiguous_dates_are_refused_asking_for_the_format(book):
    report = imported(HEADER + "C1,R1,03/04/2025,1\nC1,R2,05/06/2025,1\n")

    assert report.rejected and not Purchase.objects.exists()
    reason = report.issues[0].reason
    assert reason.startswith(
        "The dates are ambiguous: 2 date(s) such as '03/04/2025' could be day-first or month-first"
    )
    assert "--date-format" in reason


def test_a_file_mixing_day_orders_is_refused_naming_both(book):
    report = imported(HEADER + "C1,R1,13/04/2025,1\nC1,R2,04/14/2025,1\n")

    assert report.rejected
    assert "day-first (row 2: '13/04/2025') and month-first (row 3: '04/14/2025')" in report.issues[0].reason


def test_a_given_date_format_reads_ambiguous_dates(book):
    report = imported(HEADER + "C1,R1,03/04/2025,1\n", date_format="%m/%d/%Y")

    assert not report.rejected and str(stored()[0][3]) == "2025-03-04"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2025-02-30", "not a date (expected e.g."),
        ("30/02/2025", "not a date (expected e.g."),
        ("banana", "not a date (expected e.g."),
        ("2999-01-01", "the date is in the future"),
        ("", "blank cell"),
    ],
)
def test_an_impossible_or_future_date_is_refused_at_its_row(book, value, reason):
    report = imported(HEADER + f"C1,R1,2025-03-04,1\nC1,R2,{value},1\n")

    assert report.rejected and not Purchase.objects.exists()
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (3, "InvoiceDate", value) and issue.reason.startswith(
        reason
    )


# THE BOOK AND THE WHOLE FILE


def test_a_line_for_a_customer_not_in_the_book_is_refused_by_row(book):
    report = imported(HEADER + "C1,R1,2025-03-04,1\nC9,R2,2025-03-04,1\n")

    assert report.rejected and not Purchase.objects.exists()
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (3, "CustomerID", "C9")
    assert issue.reason.startswith("customer ID not in the customer book")


def test_a_purchase_id_of_two_customers_is_refused(book):
    report = imported(HEADER + "C1,R1,2025-03-04,1\nC2,R1,2025-03-04,1\n")

    [issue] = report.issues
    assert (issue.row, issue.value) == (3, "R1") and "another customer" in issue.reason


def test_skipping_invalid_lines_imports_the_rest(book):
    report = imported(
        HEADER + "C1,R1,2025-03-04,1\nC9,R2,2025-03-04,1\nC1,R3,2999-01-01,1\nC1,R4,x,1\n", skip_invalid=True
    )

    assert (report.rejected, report.added, report.skipped) == (False, 1, 3)
    assert [purchase for _, purchase, *_ in stored()] == ["R1"]


@pytest.mark.parametrize(
    "line, column, reason",
    [
        (",R1,2025-03-04,1", "CustomerID", "blank cell"),
        ("C1,,2025-03-04,1", "InvoiceNo", "blank cell"),
        ("C1,R1,2025-03-04,", "Amount", "blank cell"),
        ("C1,R1,2025-03-04,ten", "Amount", "not a number"),
        ("C1,R1,2025-03-04,1e308", "Amount", "out of range"),
        ("C1,R1,2025-03-04,NaN", "Amount", "not a number"),
        ("C1,R1,2025-03-04,inf", "Amount", "not a number"),
        ("C1," + "R" * 65 + ",2025-03-04,1", "InvoiceNo", "longer than 64 characters"),
    ],
)
def test_a_bad_cell_refuses_the_file_naming_row_and_column(book, line, column, reason):
    report = imported(HEADER + "C1,R0,2025-03-04,1\n" + line + "\n")

    assert report.rejected and not Purchase.objects.exists()
    [issue] = report.issues
    assert (issue.row, issue.column) == (3, column) and issue.reason.startswith(reason)


@pytest.mark.parametrize(
    "content, reason",
    [
        (
            b"CustomerID,InvoiceNo,Amount\nC1,R1,1\n",
            "Missing required column(s): purchased_at (e.g. 'InvoiceDate')",
        ),
        (
            b"CustomerID,InvoiceNo,InvoiceDate\nC1,R1,2025-03-04\n",
            "Missing required column(s): amount (e.g. 'Amount')",
        ),
        (b"CustomerID,InvoiceNo,InvoiceDate,Amount\n", "The file has a header row but no purchase lines."),
        (
            b"CustomerID,InvoiceNo,InvoiceDate,Amount\nC1,R1,2025-03-04,1,9\n",
            "row 2 has 5 cells but the header has 4",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is a binary file, not a CSV or XLSX file."),
        (b"", "The file is empty."),
    ],
)
def test_an_unusable_file_is_refused_saying_why(book, content, reason):
    report = purchases_import(file=io.BytesIO(content), file_name="bad.csv")

    assert report.rejected and reason in report.issues[0].reason
    assert not Purchase.objects.exists()


def test_an_import_recomputes_the_behaviour_features_with_its_lines(book):
    imported(HEADER + "C1,R1,2025-03-04,10\nC1,R2,2025-03-05,20\n")

    behaviour = CustomerBehaviour.objects.get(customer__external_id="C1")
    assert (behaviour.frequency, behaviour.monetary, behaviour.recency_days) == (2, Decimal("30.00"), 0)
    assert not CustomerBehaviour.objects.filter(customer__external_id="C2").exists()
