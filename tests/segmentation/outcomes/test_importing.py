"""Importing campaign outcomes: sends keyed by (customer, campaign, day), upserted; every bad row
refused naming its row, column and value, and nothing written unless invalid rows are skipped."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from customers.customer_import import WRITTEN_MEANWHILE
from customers.models import Customer
from segmentation.models import CampaignOutcome
from segmentation.outcomes.importing import REPEATED_SEND, outcomes_import

pytestmark = pytest.mark.django_db

HEADER = "CustomerID,Campaign,SentDate,Responded,Revenue,Control\n"
GOOD = "C1,Flash sales,2025-03-04,yes,12.50,no\nC2,flash SALES,2025-03-04,no,,yes\n"  # rows 2 and 3


def imported(text: str, **options):
    return outcomes_import(file=io.BytesIO(text.encode()), file_name="outcomes.csv", **options)


def stored() -> list[tuple]:
    return sorted(
        CampaignOutcome.objects.values_list(
            "customer__external_id", "campaign__title", "sent_on", "responded", "revenue", "control"
        )
    )


def test_a_file_of_sends_is_stored_matching_campaigns_regardless_of_case(two_customers, flash_sales):
    report = imported(HEADER + GOOD)

    assert not report.rejected and (report.added, report.updated, report.unchanged) == (2, 0, 0)
    assert stored() == [
        ("C1", "Flash sales", date(2025, 3, 4), True, Decimal("12.50"), False),
        ("C2", "Flash sales", date(2025, 3, 4), False, Decimal("0.00"), True),
    ]


def test_importing_the_same_file_again_changes_nothing_and_a_corrected_file_updates(
    two_customers, flash_sales
):
    imported(HEADER + GOOD)

    again = imported(HEADER + GOOD)
    corrected = imported(HEADER + "C1,Flash sales,2025-03-04,yes,20,no\n")

    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert (corrected.added, corrected.updated, corrected.unchanged) == (0, 1, 0)
    assert CampaignOutcome.objects.get(customer__external_id="C1").revenue == Decimal("20.00")


def test_revenue_and_control_are_optional_columns(two_customers, flash_sales):
    report = imported("customer id,campaign,date,response\nC1,Flash sales,2025-03-04,1\n")

    assert not report.rejected
    assert stored() == [("C1", "Flash sales", date(2025, 3, 4), True, Decimal("0.00"), False)]


def test_numeric_dates_are_read_in_the_order_the_file_shows(two_customers, flash_sales):
    report = imported(HEADER + "C1,Flash sales,03/04/2025,yes,1,no\nC2,Flash sales,25/04/2025,no,,no\n")

    assert not report.rejected
    assert [row[2] for row in stored()] == [date(2025, 4, 3), date(2025, 4, 25)]


def test_ambiguous_numeric_dates_refuse_the_file_asking_for_the_format(two_customers, flash_sales):
    report = imported(HEADER + "C1,Flash sales,03/04/2025,yes,1,no\n")

    assert (
        report.rejected and "ambiguous" in report.issues[0].reason and "%d/%m/%Y" in report.issues[0].reason
    )
    assert imported(HEADER + "C1,Flash sales,03/04/2025,yes,1,no\n", date_format="%m/%d/%Y").added == 1
    assert stored()[0][2] == date(2025, 3, 4)


# A year ahead, not a day: the table is built when the tests are collected, maybe before midnight.
NEXT_YEAR = (timezone.localdate() + timedelta(days=365)).isoformat()
REFUSALS = {
    "customer not in the book": (
        "C9,Flash sales,2025-03-04,yes,1,no",
        "customer ID not in the customer book",
        "CustomerID",
        "C9",
    ),
    "campaign not in the playbook": (
        "C1,Free lunch,2025-03-04,yes,1,no",
        "no campaign of that title in the playbook",
        "Campaign",
        "Free lunch",
    ),
    "date in the future": (
        f"C1,Flash sales,{NEXT_YEAR},yes,1,no",
        "the date is in the future",
        "SentDate",
        NEXT_YEAR,
    ),
    "not a date": ("C1,Flash sales,someday,yes,1,no", "not a date", "SentDate", "someday"),
    "responded not yes or no": (
        "C1,Flash sales,2025-03-05,maybe,1,no",
        "not yes or no",
        "Responded",
        "maybe",
    ),
    "blank responded": ("C1,Flash sales,2025-03-05,,,no", "blank cell", "Responded", ""),
    "negative revenue": (
        "C1,Flash sales,2025-03-05,yes,-5,no",
        "revenue must be between 0 and 1,000,000",
        "Revenue",
        "-5",
    ),
    "revenue without a response": (
        "C1,Flash sales,2025-03-05,no,5,no",
        "revenue without a response",
        "Revenue",
        "5",
    ),
    "control not yes or no": ("C1,Flash sales,2025-03-05,no,,perhaps", "not yes or no", "Control", "perhaps"),
    "the same send twice": ("C1,FLASH SALES,2025-03-04,no,,no", REPEATED_SEND, "CustomerID", "C1"),
}


@pytest.mark.parametrize(("line", "reason", "column", "value"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_row_refuses_the_file_naming_row_column_and_value(
    two_customers, flash_sales, line, reason, column, value
):
    report = imported(HEADER + GOOD + line + "\n")

    assert report.rejected and not CampaignOutcome.objects.exists()
    issue = report.issues[0]
    assert reason in issue.reason and (issue.row, issue.column, issue.value) == (4, column, value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "CustomerID,Campaign,SentDate\nC1,Flash sales,2025-03-04\n",
            "Missing required column(s): responded",
        ),
        (HEADER, "header row but no outcomes"),
        ("", "empty"),
        ("\x00\x01binary\x02" * 50, ""),
    ],
    ids=["missing column", "header only", "empty file", "binary file"],
)
def test_a_file_that_cannot_be_read_is_refused_saying_why(two_customers, flash_sales, text, message):
    report = imported(text)

    assert report.rejected and message in report.issues[0].reason and not CampaignOutcome.objects.exists()


def test_skipping_invalid_rows_imports_the_others_and_lists_what_was_skipped(two_customers, flash_sales):
    report = imported(HEADER + GOOD + "C9,Flash sales,2025-03-04,yes,1,no\n", skip_invalid=True)

    assert not report.rejected and (report.added, report.skipped) == (2, 1)
    assert report.issues[0].row == 4 and len(stored()) == 2


def test_files_over_the_import_limits_are_refused_saying_which(two_customers, flash_sales, settings):
    settings.IMPORT_MAX_ROWS = 3
    too_many_rows = imported(HEADER + GOOD * 3)
    settings.IMPORT_MAX_FILE_MB = 0.0001
    too_large = imported(HEADER + GOOD * 20)

    assert too_many_rows.rejected and "IMPORT_MAX_ROWS" in too_many_rows.issues[0].reason
    assert too_large.rejected and "the limit is 0.0001 MB" in too_large.issues[0].reason
    assert not CampaignOutcome.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the customer is checked at commit
def test_a_customer_deleted_while_the_file_is_checked_refuses_it_and_writes_nothing(
    two_customers, flash_sales
):
    def delete_a_customer_before_writing(percent: int, step: str) -> None:
        if step == "Writing outcomes":
            Customer.objects.filter(external_id="C2").delete()

    report = imported(HEADER + GOOD, on_progress=delete_a_customer_before_writing)

    assert report.rejected and report.issues[0].reason == WRITTEN_MEANWHILE
    assert not CampaignOutcome.objects.exists()


def test_a_workbook_with_native_dates_booleans_and_numbers_is_read(two_customers, flash_sales):
    book = openpyxl.Workbook()
    book.active.append(["CustomerID", "Campaign", "SentDate", "Responded", "Revenue", "Control"])
    book.active.append(["C1", "Flash sales", datetime(2025, 3, 4), True, 12.5, False])
    book.active.append(["C2", "Flash sales", datetime(2025, 3, 4), False, None, True])
    saved = io.BytesIO()
    book.save(saved)

    report = outcomes_import(file=io.BytesIO(saved.getvalue()), file_name="outcomes.xlsx")

    assert not report.rejected and report.added == 2
    assert stored() == [
        ("C1", "Flash sales", date(2025, 3, 4), True, Decimal("12.50"), False),
        ("C2", "Flash sales", date(2025, 3, 4), False, Decimal("0.00"), True),
    ]
