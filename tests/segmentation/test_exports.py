"""The audience export (segmentation.exports): no cell, nor any piece a spreadsheet could split
a cell into at a separator, starts a formula."""

import csv
import io

import pytest
from django.urls import reverse

from segmentation.services.placement import segmentation_place_new_customers
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = ",;|\t\r\n"
HOSTILE_IDS = [
    "x;=cmd|' /C calc'!A0;",
    "a\t=1+1",
    "b,@SUM(A1)",
    "c|+2",
    "d\r\n-3",
    "=HYPERLINK(\"http://evil\")",
]


def _pieces(cell: str) -> list[str]:
    pieces = [cell]
    for separator in SEPARATORS:
        pieces = [part for piece in pieces for part in piece.split(separator)]
    return pieces


def test_no_piece_of_an_exported_cell_starts_a_formula(marketing_client, blob_customers):
    run = run_now(k=4)
    for number, external_id in enumerate(HOSTILE_IDS):
        CustomerFactory(external_id=external_id, annual_income=20 + number, spending_score=20)
    segmentation_place_new_customers()
    segment = run.assignments.get(customer__external_id=HOSTILE_IDS[0]).segment

    response = marketing_client.get(reverse("segmentation:segment-export", args=[segment.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    exported_ids = {row[0] for row in rows[1:]}
    assert {"x;'=cmd|' /C calc'!A0;", "a\t'=1+1", "b,'@SUM(A1)", "c|'+2"} <= exported_ids
    for row in rows:
        for cell in row:
            assert not any(piece.startswith(FORMULA_STARTS) for piece in _pieces(cell)), repr(cell)


def test_ordinary_values_are_exported_as_they_are(marketing_client, blob_customers):
    run = run_now(k=4)
    CustomerFactory(external_id="Smith, John", annual_income=20, spending_score=20)
    segmentation_place_new_customers()
    segment = run.assignments.get(customer__external_id="Smith, John").segment

    response = marketing_client.get(reverse("segmentation:segment-export", args=[segment.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    assert "Smith, John" in {row[0] for row in rows[1:]}
