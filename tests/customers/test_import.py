"""The import service: known answer, upsert, header variants, encodings and XLSX."""

import io
import threading
from unittest import mock

import openpyxl
import pandas as pd
import pytest
from django.db import IntegrityError, connection

from customers.customer_import import customers_import
from customers.importing import reading
from customers.models import Customer
from customers.staging import CustomerStaging
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MALL_HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


def import_text(
    text: str, *, encoding: str = "utf-8", skip_invalid: bool = False, name: str = "customers.csv"
):
    return customers_import(file=io.BytesIO(text.encode(encoding)), file_name=name, skip_invalid=skip_invalid)


def stored(external_id: str) -> tuple:
    return Customer.objects.values_list("gender", "age", "annual_income", "spending_score").get(
        external_id=external_id
    )


def test_mall_file_imports_every_customer_with_its_values(mall_csv):
    with mall_csv.open("rb") as file:
        report = customers_import(file=file, file_name=mall_csv.name)

    expected = pd.read_csv(mall_csv)
    assert (report.added, report.updated, report.skipped, report.rejected) == (200, 0, 0, False)
    rows = pd.DataFrame.from_records(
        Customer.objects.order_by("id").values_list(
            "external_id", "gender", "age", "annual_income", "spending_score"
        )
    )
    assert rows[0].tolist() == expected["CustomerID"].astype(str).tolist()
    assert rows[1].tolist() == expected["Gender"].str.lower().tolist()
    assert rows[2].tolist() == expected["Age"].tolist()
    assert rows[3].tolist() == expected["Annual Income (k$)"].astype(float).tolist()
    assert rows[4].tolist() == expected["Spending Score (1-100)"].tolist()


def test_importing_the_same_file_again_changes_nothing(mall_csv):
    with mall_csv.open("rb") as file:
        customers_import(file=file, file_name=mall_csv.name)
    before = list(Customer.objects.order_by("id").values_list("id", "updated_at"))

    with mall_csv.open("rb") as file:
        report = customers_import(file=file, file_name=mall_csv.name)

    assert (report.added, report.updated, report.unchanged) == (0, 0, 200)
    assert list(Customer.objects.order_by("id").values_list("id", "updated_at")) == before


def test_known_customer_ids_are_updated_and_new_ones_added():
    CustomerFactory(external_id="7", gender="male", age=30, annual_income=50, spending_score=40)
    CustomerFactory(external_id="8", gender="female", age=41, annual_income=70, spending_score=60)

    report = import_text(MALL_HEADER + "7,Male,31,50,40\n8,Female,41,70,60\n9,Female,22,18,90\n")

    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    assert stored("7") == ("male", 31, 50.0, 40)
    assert stored("9") == ("female", 22, 18.0, 90)


def test_snake_case_headers_are_accepted():
    report = import_text("external_id,gender,age,annual_income,spending_score\nA1,female,30,55.5,50\n")

    assert report.added == 1
    assert stored("A1") == ("female", 30, 55.5, 50)


def test_headers_match_synonyms_regardless_of_case_spacing_and_units():
    report = import_text(" ID ;SEX; age ;Income (k$);Score\nX9;M;45;80;20\n")

    assert report.added == 1
    assert stored("X9") == ("male", 45, 80.0, 20)


def test_extra_columns_are_ignored_and_listed():
    report = import_text(
        "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100),Email,Store\n"
        "1,Female,30,40,50,a@example.com,North\n"
    )

    assert report.added == 1
    assert report.ignored_columns == ("Email", "Store")


def test_utf8_with_byte_order_mark_is_read():
    report = customers_import(
        file=io.BytesIO(b"\xef\xbb\xbf" + (MALL_HEADER + "1,Female,30,40,50\n").encode()), file_name="bom.csv"
    )

    assert report.added == 1


def test_latin1_file_is_read():
    report = import_text(
        MALL_HEADER.replace("\n", ",Città\n") + "1,Female,30,40,50,Génova\n", encoding="latin-1"
    )

    assert report.added == 1
    assert report.ignored_columns == ("Città",)


def test_gender_spellings_are_normalised():
    report = import_text(
        MALL_HEADER + "1,F,30,40,50\n2,male,30,40,50\n3,Unknown,30,40,50\n4,other,30,40,50\n"
    )

    assert report.added == 4
    assert list(Customer.objects.order_by("id").values_list("gender", flat=True)) == [
        "female",
        "male",
        "other",
        "other",
    ]


def test_blank_lines_are_ignored_without_shifting_row_numbers():
    report = import_text(MALL_HEADER + "1,Female,30,40,50\n\n2,Female,abc,40,50\n")

    assert report.rejected
    assert [(issue.row, issue.value) for issue in report.issues] == [(4, "abc")]


def test_xlsx_workbook_is_read():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"])
    sheet.append([1, "Male", 19, 15, 39])
    sheet.append([2, "Female", 21.0, 15.5, 81])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    report = customers_import(file=buffer, file_name="customers.xlsx")

    assert report.added == 2
    assert stored("2") == ("female", 21, 15.5, 81)


def test_rows_are_numbered_across_chunks(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK_ROWS", 2)
    rows = "".join(f"{n},Female,30,40,50\n" for n in range(1, 6)) + "6,Female,30,40,500\n"

    report = import_text(MALL_HEADER + rows)

    assert [(issue.row, issue.column, issue.value) for issue in report.issues] == [
        (7, "Spending Score (1-100)", "500")
    ]


def test_large_file_streams_through_many_chunks(monkeypatch):
    monkeypatch.setattr(reading, "CHUNK_ROWS", 1_000)
    rows = "".join(f"{n},Female,{20 + n % 50},{15 + n % 100},{1 + n % 100}\n" for n in range(1, 5_001))

    report = import_text(MALL_HEADER + rows)

    assert report.added == 5_000
    assert Customer.objects.count() == 5_000


# TWO WRITERS AT ONCE


def test_a_customer_added_by_another_writer_during_the_merge_is_a_clear_refusal():
    def taken_meanwhile(self, *, now):
        raise IntegrityError('duplicate key value violates unique constraint "customer_external_id_unique"')

    with mock.patch.object(CustomerStaging, "merge", taken_meanwhile):
        report = customers_import(file=io.BytesIO(b"CustomerID,Gender,Age,Income,Score\n1,F,30,40,50\n"),
                                  file_name="race.csv")  # fmt: skip

    assert report.rejected and report.added == 0
    assert report.issues[0].reason.startswith("Another import or change was writing the same customers")
    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_of_overlapping_new_customers_at_once_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions serialize whole imports; this races two merges")
    files = {
        "first.csv": "".join(f"{n},Female,30,40,50\n" for n in range(0, 600)),
        "second.csv": "".join(f"{n},Male,31,41,51\n" for n in range(300, 900)),
    }
    both_at_the_merge = threading.Barrier(2, timeout=30)
    merge = CustomerStaging.merge

    def merge_together(self, *, now):
        both_at_the_merge.wait()
        return merge(self, now=now)

    def import_file(name: str, reports: dict) -> None:
        try:
            content = ("CustomerID,Gender,Age,Income,Score\n" + files[name]).encode()
            reports[name] = customers_import(file=io.BytesIO(content), file_name=name)
        finally:
            connection.close()

    reports: dict = {}
    with mock.patch.object(CustomerStaging, "merge", merge_together):
        threads = [threading.Thread(target=import_file, args=(name, reports)) for name in files]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not any(report.rejected for report in reports.values()), [r.summary() for r in reports.values()]
    assert sum(report.added for report in reports.values()) == Customer.objects.count() == 900
    assert sum(report.updated for report in reports.values()) == 300  # the later merge changes the overlap
