"""Malformed files: each refused with its own clear reason, the customer table unchanged."""

import io
import zipfile

import pytest

from customers.customer_import import customers_import
from customers.importing.report import MAX_LISTED_ISSUES
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"
GOOD_ROW = "1,Female,30,40,50\n"


def broken_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


# name -> (file bytes, expected fragment of the reason, expected (row, column, value) or None)
MALFORMED_FILES = {
    "empty": (b"", "The file is empty", None),
    "whitespace only": (b"  \n\n \n", "The file is empty", None),
    "header only": (HEADER.encode(), "no customer rows", None),
    "missing column": (
        b"CustomerID,Gender,Age,Annual Income (k$)\n1,Female,30,40\n",
        "Missing required column(s): spending_score",
        None,
    ),
    "two columns for one field": (
        b"CustomerID,Gender,Sex,Age,Income,Score\n1,Female,F,30,40,50\n",
        "'Gender' and 'Sex' both mean gender",
        None,
    ),
    "unknown gender": (
        (HEADER + GOOD_ROW + "2,Robot,30,40,50\n").encode(),
        "unknown gender",
        (3, "Gender", "Robot"),
    ),
    "age not a number": ((HEADER + "1,Female,abc,40,50\n").encode(), "not a number", (2, "Age", "abc")),
    "income infinite": (
        (HEADER + "1,Female,30,inf,50\n").encode(),
        "not a number",
        (2, "Annual Income (k$)", "inf"),
    ),
    "age not whole": ((HEADER + "1,Female,30.5,40,50\n").encode(), "not a whole number", (2, "Age", "30.5")),
    "spending out of range": (
        (HEADER + "1,Female,30,40,150\n").encode(),
        "spending score must be between 1 and 100",
        (2, "Spending Score (1-100)", "150"),
    ),
    "age out of range": (
        (HEADER + "1,Female,7,40,50\n").encode(),
        "age must be between 12 and 120",
        (2, "Age", "7"),
    ),
    "negative income": (
        (HEADER + "1,Female,30,-5,50\n").encode(),
        "annual income must be between 0 and 10,000",
        (2, "Annual Income (k$)", "-5"),
    ),
    "blank cell": ((HEADER + "1,Female,30,,50\n").encode(), "blank cell", (2, "Annual Income (k$)", "")),
    "blank customer id": ((HEADER + ",Female,30,40,50\n").encode(), "blank cell", (2, "CustomerID", "")),
    "customer id too long": (
        (HEADER + "X" * 65 + ",Female,30,40,50\n").encode(),
        "longer than 64 characters",
        (2, "CustomerID", "X" * 65),
    ),
    "repeated customer id": (
        (HEADER + GOOD_ROW + "2,Male,30,40,50\n1,Male,44,40,50\n").encode(),
        "customer ID repeated in the file (first on row 2)",
        (4, "CustomerID", "1"),
    ),
    "ragged row": (
        (HEADER + GOOD_ROW + "2,Male,30,40,50,99\n").encode(),
        "not well-formed CSV",
        None,
    ),
    "first row one cell longer than the header": (
        (HEADER + "1,Female,30,40,50,99\n" + "2,Male,30,40,50\n").encode(),
        "row 2 has 6 cells but the header has 5",
        None,
    ),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file", None),
    "legacy excel": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "legacy Excel (.xls)", None),
    "damaged workbook": (broken_xlsx(), "not a readable XLSX workbook", None),
    "utf-16 text": ((HEADER + GOOD_ROW).encode("utf-16"), "UTF-16", None),
}


@pytest.fixture
def existing_customers():
    CustomerFactory.create_batch(3)
    return set(
        Customer.objects.values_list("external_id", "gender", "age", "annual_income", "spending_score")
    )


def table_contents() -> set:
    return set(
        Customer.objects.values_list("external_id", "gender", "age", "annual_income", "spending_score")
    )


@pytest.mark.parametrize("name", MALFORMED_FILES)
def test_malformed_file_is_refused_with_its_reason_and_nothing_changes(name, existing_customers):
    content, reason, location = MALFORMED_FILES[name]

    report = customers_import(file=io.BytesIO(content), file_name=f"{name}.csv")

    assert report.rejected
    assert (report.added, report.updated) == (0, 0)
    assert any(reason in str(issue) for issue in report.issues), [str(issue) for issue in report.issues]
    if location:
        assert location in [(issue.row, issue.column, issue.value) for issue in report.issues]
    assert table_contents() == existing_customers


def test_file_over_the_size_limit_is_refused(settings, existing_customers):
    settings.IMPORT_MAX_FILE_MB = 0.00005  # 50 bytes

    report = customers_import(file=io.BytesIO((HEADER + GOOD_ROW).encode()), file_name="big.csv")

    assert report.rejected
    assert "the limit is 5e-05 MB" in str(report.issues[0])
    assert table_contents() == existing_customers


def test_one_bad_row_refuses_the_whole_file(existing_customers):
    rows = "".join(f"{n},Female,30,40,50\n" for n in range(100, 150)) + "150,Female,30,40,abc\n"

    report = customers_import(file=io.BytesIO((HEADER + rows).encode()), file_name="mixed.csv")

    assert report.rejected
    assert report.issue_count == 1
    assert table_contents() == existing_customers


def test_skip_invalid_imports_the_valid_rows_and_lists_the_others():
    content = HEADER + GOOD_ROW + "2,Robot,30,40,50\n3,Male,30,40,500\n4,Male,33,60,70\n"

    report = customers_import(file=io.BytesIO(content.encode()), file_name="mixed.csv", skip_invalid=True)

    assert not report.rejected
    assert (report.added, report.skipped) == (2, 2)
    assert [issue.row for issue in report.issues] == [3, 4]
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == ["1", "4"]


def test_skip_invalid_keeps_the_first_row_of_a_repeated_customer_id():
    content = HEADER + "1,Female,30,40,50\n1,Male,60,90,10\n"

    report = customers_import(file=io.BytesIO(content.encode()), file_name="repeats.csv", skip_invalid=True)

    assert (report.added, report.skipped) == (1, 1)
    assert Customer.objects.get().gender == "female"


def test_skip_invalid_with_no_valid_row_is_refused():
    content = HEADER + "1,Robot,30,40,50\n"

    report = customers_import(file=io.BytesIO(content.encode()), file_name="bad.csv", skip_invalid=True)

    assert report.rejected
    assert "None of the rows is valid" in str(report.issues[0])
    assert not Customer.objects.exists()


def test_report_lists_a_bounded_number_of_problems_and_counts_them_all():
    rows = "".join(f"{n},Female,30,40,abc\n" for n in range(MAX_LISTED_ISSUES + 500))

    report = customers_import(file=io.BytesIO((HEADER + rows).encode()), file_name="bad.csv")

    assert report.issue_count == MAX_LISTED_ISSUES + 500
    assert len(report.issues) == MAX_LISTED_ISSUES
    assert report.unlisted_issue_count == 500


def test_a_nul_character_after_the_first_64_kb_is_refused_at_its_row(existing_customers):
    rows = "".join(f"{n},Female,30,40,50\n" for n in range(1000, 5000))  # about 90 KB
    content = (HEADER + rows + "C\x00X,Male,40,60,70\n").encode()

    report = customers_import(file=io.BytesIO(content), file_name="late-nul.csv")

    assert report.rejected and len(content) > 64 * 1024
    assert [(issue.row, issue.reason) for issue in report.issues] == [
        (4002, "contains a NUL character (binary data)")
    ]
    assert str(report.issues[0]).startswith("row 4002, column 'CustomerID', value 'C\\x00X'")  # shown escaped
    assert table_contents() == existing_customers
