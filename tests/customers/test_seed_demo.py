"""Seeding demo customers with their purchase histories (customers_seed_demo), on whichever
database the suite runs (SQLite, or PostgreSQL in CI's second pass)."""

import datetime as dt

import pytest
from django.db.models import Avg, Count, Max, Min

from customers.models import Customer, CustomerBehaviour, Purchase
from customers.services import customers_seed_demo
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


def stored_lines() -> list[tuple]:
    return list(
        Purchase.objects.order_by("purchase_id", "line").values_list(
            "customer__external_id", "purchase_id", "line", "purchased_at", "amount", "store", "category"
        )
    )


def test_seeding_stores_customers_purchases_and_behaviour():
    seeded = customers_seed_demo(count=500, seed=1, today=TODAY)

    assert (seeded.added, seeded.updated) == (500, 0)
    assert seeded.purchase_lines == Purchase.objects.count() > 500 * 10
    with_purchases = Customer.objects.filter(purchases__isnull=False).distinct().count()
    assert seeded.customers_with_purchases == CustomerBehaviour.objects.count() == with_purchases
    assert 0.85 <= with_purchases / 500 <= 0.95


def test_the_latest_purchase_is_the_day_before_today_and_behaviour_is_as_of_it():
    customers_seed_demo(count=300, seed=1, today=TODAY)

    latest = Purchase.objects.aggregate(latest=Max("purchased_at"))["latest"]
    assert latest.date() == TODAY - dt.timedelta(days=1)
    assert set(CustomerBehaviour.objects.values_list("as_of", flat=True)) == {
        dt.datetime(2026, 3, 15, tzinfo=dt.UTC)
    }


def test_the_same_seed_and_day_store_the_same_lines():
    customers_seed_demo(count=300, seed=7, today=TODAY)
    first = stored_lines()
    Customer.objects.all().delete()

    customers_seed_demo(count=300, seed=7, today=TODAY)

    assert stored_lines() == first


def test_reseeding_resets_instead_of_adding():
    customers_seed_demo(count=300, seed=7, today=TODAY)
    first = stored_lines()

    again = customers_seed_demo(count=300, seed=7, today=TODAY)

    assert (again.added, again.updated) == (0, 0)
    assert stored_lines() == first
    assert again.purchase_lines == len(first)
    assert CustomerBehaviour.objects.count() == again.customers_with_purchases


def test_reseeding_with_another_seed_replaces_each_history():
    customers_seed_demo(count=300, seed=7, today=TODAY)

    customers_seed_demo(count=300, seed=8, today=TODAY)
    replaced = stored_lines()
    Customer.objects.all().delete()
    customers_seed_demo(count=300, seed=8, today=TODAY)

    assert stored_lines() == replaced  # nothing of seed 7 is left


def test_other_customers_and_their_purchases_are_left_alone():
    other = CustomerFactory(external_id="C1")
    Purchase.objects.create(
        customer=other,
        purchase_id="R1",
        line=1,
        purchased_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
        amount=10,
    )

    customers_seed_demo(count=200, seed=1, today=TODAY)

    assert list(other.purchases.values_list("purchase_id", flat=True)) == ["R1"]
    assert CustomerBehaviour.objects.filter(customer=other).exists()


def test_without_purchases_only_customers_are_written():
    customers_seed_demo(count=200, seed=1, today=TODAY)
    lines = stored_lines()

    seeded = customers_seed_demo(count=300, seed=2, purchases=False)

    assert (seeded.added, seeded.purchase_lines) == (100, 0)
    assert stored_lines() == lines  # stored histories stay as they are


def test_high_spending_scores_buy_more_often_than_low_ones():
    customers_seed_demo(count=2_000, seed=1, today=TODAY)

    def average_frequency(**band) -> float:
        return CustomerBehaviour.objects.filter(**band).aggregate(value=Avg("frequency"))["value"]

    assert average_frequency(customer__spending_score__gte=67) > 2 * average_frequency(
        customer__spending_score__lte=33
    )


def test_behaviour_shows_regulars_lapsed_and_new_customers():
    customers_seed_demo(count=2_000, seed=1, today=TODAY)
    behaviour = CustomerBehaviour.objects

    assert behaviour.filter(recency_days__lte=14, frequency__gte=10).count() > 200  # loyal regulars
    assert behaviour.filter(recency_days__gte=150, monetary__gte=1_000).count() > 100  # lapsed high spenders
    assert behaviour.filter(tenure_days__lte=30).count() > 100  # new customers
    assert behaviour.filter(frequency__lte=3, recency_days__range=(15, 90)).count() > 200  # occasional
    tenure = behaviour.aggregate(shortest=Min("tenure_days"), longest=Max("tenure_days"))
    assert tenure["shortest"] <= 1 and 700 <= tenure["longest"] <= 729  # two years at most


def test_a_receipt_is_numbered_from_line_1_and_some_lines_are_refunds():
    customers_seed_demo(count=300, seed=1, today=TODAY)

    lines_per_receipt = Purchase.objects.values("purchase_id").annotate(lines=Count("id"), last=Max("line"))
    assert all(receipt["lines"] == receipt["last"] for receipt in lines_per_receipt)
    assert Purchase.objects.filter(amount__lt=0).exists()
    assert not Purchase.objects.filter(line=1, amount__lt=0).exists()


def test_twenty_thousand_customers_seed_in_one_go():
    seeded = customers_seed_demo(count=20_000, seed=5, today=TODAY)

    assert Customer.objects.count() == 20_000
    assert Purchase.objects.count() == seeded.purchase_lines > 20_000 * 15
    assert CustomerBehaviour.objects.count() == seeded.customers_with_purchases > 17_000
