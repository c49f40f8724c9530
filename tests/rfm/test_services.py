"""RFM scores and named segments (rfm.services), against a hand-computed example, on whichever
database the suite runs (SQLite, or PostgreSQL)."""

import io

import pytest
from django.db import connection

from customers.models import CustomerBehaviour
from customers.purchase_import import purchases_import
from rfm.models import CustomerRfm, RfmSegment
from rfm.services import rfm_refresh, rfm_segment_save, rfm_segments_delete
from tests.factories import CustomerFactory
from tests.rfm.conftest import give_behaviour

pytestmark = pytest.mark.django_db


def scores() -> dict[str, tuple[int, int, int, str | None]]:
    return {
        row.customer.external_id: (
            row.recency_score,
            row.frequency_score,
            row.monetary_score,
            row.segment.name if row.segment else None,
        )
        for row in CustomerRfm.objects.select_related("customer", "segment")
    }


def test_quintiles_and_segments_of_ten_customers(ten_customers):
    """Ten customers: five scores of exactly two customers each. Each ranking runs from the worst
    value to the best; equal values are ordered by customer id descending (c1 was created first,
    so among equals the smaller number ranks higher).

    R, by recency_days descending: c5 365, c9 300 | c3 200, c8 150 | c6 90, c7 10 | c4 10, c2 10
    | c1 5, c10 2. The three at 10 days straddle R3/R4: c7 (largest id) gets 3, c4 and c2 get 4.

    F, by frequency ascending: c10 1, c5 1 | c2 1, c7 2 | c8 3, c4 3 | c6 5, c9 6 | c3 8, c1 12.
    The three with 1 purchase straddle F1/F2: c2 (smallest id) gets 2.

    M, by monetary ascending: c5 15, c2 30 | c10 45, c7 75 | c4 120, c8 140 | c6 260, c9 410
    | c3 500, c1 900.

    Segments, from the seeded rules (first match by priority, see rfm/migrations/0002):
    c1 R5 F5 Champions · c2 R4 F2 Potential Loyalists · c3 R2 F5 At Risk · c4 R4 F3 Potential
    Loyalists · c5 R1 F1 Lost · c6 R3 F4 Loyal Customers · c7 R3 F2 About To Sleep · c8 R2 F3
    At Risk · c9 R1 F4 Can't Lose Them · c10 R5 F1 New Customers.
    """
    assert scores() == {
        "c1": (5, 5, 5, "Champions"),
        "c2": (4, 2, 1, "Potential Loyalists"),
        "c3": (2, 5, 5, "At Risk"),
        "c4": (4, 3, 3, "Potential Loyalists"),
        "c5": (1, 1, 1, "Lost"),
        "c6": (3, 4, 4, "Loyal Customers"),
        "c7": (3, 2, 2, "About To Sleep"),
        "c8": (2, 3, 3, "At Risk"),
        "c9": (1, 4, 4, "Can't Lose Them"),
        "c10": (5, 1, 2, "New Customers"),
    }


def test_twelve_customers_put_the_extra_two_in_the_lowest_scores(db):
    give_behaviour({f"c{n}": (100 - n, n, n) for n in range(1, 13)})

    assert rfm_refresh() == 12

    frequency_scores = [scores()[f"c{n}"][1] for n in range(1, 13)]
    assert frequency_scores == [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5]


def test_fewer_than_five_customers_leave_the_top_scores_unused(db):
    give_behaviour({"a": (30, 1, 10), "b": (20, 2, 20), "c": (10, 3, 30)})

    rfm_refresh()

    assert [scores()[name][:3] for name in "abc"] == [(1, 1, 1), (2, 2, 2), (3, 3, 3)]


def test_customers_without_purchases_are_not_scored(ten_customers):
    CustomerFactory(external_id="never-bought")

    rfm_refresh()

    assert "never-bought" not in scores()
    assert CustomerRfm.objects.count() == 10


def test_a_refresh_replaces_every_earlier_score(ten_customers):
    CustomerBehaviour.objects.filter(customer__external_id__in=["c1", "c2"]).delete()

    assert rfm_refresh() == 8
    assert set(scores()) == {"c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"}


def test_no_behaviour_means_no_scores(ten_customers):
    CustomerBehaviour.objects.all().delete()

    assert rfm_refresh() == 0
    assert not CustomerRfm.objects.exists()


def test_scores_follow_a_purchase_import(db):
    """The import refreshes behaviour, which sends behaviour_refreshed; RFM recomputes with it."""
    for external_id in ("A", "B", "C", "D", "E"):
        CustomerFactory(external_id=external_id)
    lines = "".join(
        f"{external_id},{external_id}-{n},2025-0{n + 1}-1{n},{10 * (n + 1)}\n"
        for position, external_id in enumerate("ABCDE")
        for n in range(position + 1)
    )
    report = purchases_import(
        file=io.BytesIO(("CustomerID,InvoiceNo,InvoiceDate,Amount\n" + lines).encode()), file_name="p.csv"
    )
    assert not report.rejected

    # E bought five times, most recently and most; A once, longest ago and least.
    assert scores()["E"] == (5, 5, 5, "Champions")
    assert scores()["A"] == (1, 1, 1, "Lost")


def test_a_rule_on_m_places_by_m_too(ten_customers):
    champions = RfmSegment.objects.get(name="Champions")
    champions.monetary_max = 4

    rfm_segment_save(segment=champions)

    assert scores()["c1"] == (5, 5, 5, "Loyal Customers")  # M5: the next rule that holds


def test_new_behaviour_updates_the_scores(ten_customers):
    CustomerBehaviour.objects.filter(customer__external_id="c5").update(
        recency_days=0, frequency=50, monetary=5000
    )

    rfm_refresh()

    assert scores()["c5"] == (5, 5, 5, "Champions")
    # c1 is now second in F and M (still in the top two: 5) but third in R, behind c5 and c10.
    assert scores()["c1"] == (4, 5, 5, "Champions")


def _row_versions() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT customer_id, xmin::text FROM {CustomerRfm._meta.db_table}")
        return dict(cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's")
def test_a_refresh_rewrites_no_unchanged_row(ten_customers):
    before = _row_versions()
    CustomerBehaviour.objects.filter(customer__external_id="c7").update(recency_days=11)  # still R3

    rfm_refresh()

    assert _row_versions() == before


def test_changing_a_rule_places_customers_again(ten_customers):
    champions = RfmSegment.objects.get(name="Champions")
    champions.recency_min = 5
    champions.frequency_min = 5

    rfm_segment_save(segment=champions)

    assert scores()["c1"][3] == "Champions"
    assert CustomerRfm.objects.filter(segment=champions).count() == 1


def test_an_invalid_rule_is_refused_and_nothing_changes(ten_customers):
    champions = RfmSegment.objects.get(name="Champions")
    champions.recency_min, champions.recency_max = 5, 4

    with pytest.raises(Exception, match="recency range ends below its start"):
        rfm_segment_save(segment=champions)

    assert RfmSegment.objects.get(name="Champions").recency_max == 5


def test_deleting_a_segment_places_its_customers_by_the_other_rules(ten_customers):
    deleted = rfm_segments_delete(segments=RfmSegment.objects.filter(name="Lost"))

    assert deleted == 1
    assert scores()["c5"][3] == "Hibernating"  # R1 F1 is next matched by Hibernating (R1–2 F1–2)


def test_customers_no_rule_holds_for_have_no_segment(ten_customers):
    RfmSegment.objects.exclude(name="Champions").delete()

    rfm_refresh()

    assert scores()["c1"][3] == "Champions"
    assert scores()["c5"][3] is None
