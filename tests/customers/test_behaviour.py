"""Behaviour features from purchases (customers.behaviour), against a hand-computed example, on
whichever database the suite runs (SQLite, or PostgreSQL in CI's second pass)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from customers.behaviour import behaviour_refresh
from customers.models import CustomerBehaviour, Purchase
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def history(settings):
    """Ana: two purchases in the window and a refund; Ben: one purchase long ago; Cy: none."""
    settings.TIME_ZONE = "UTC"
    ana, ben, cy = (CustomerFactory(external_id=name) for name in ("ana", "ben", "cy"))
    lines = [
        (ana, "R1", 1, dt.datetime(2025, 3, 1, 10, tzinfo=UTC), "10.00"),
        (ana, "R1", 2, dt.datetime(2025, 3, 1, 10, tzinfo=UTC), "5.00"),
        (ana, "R2", 1, dt.datetime(2025, 6, 30, 12, tzinfo=UTC), "20.00"),
        (ana, "R3", 1, dt.datetime(2025, 6, 30, 12, tzinfo=UTC), "-5.00"),
        (ben, "R4", 1, dt.datetime(2024, 1, 15, 12, tzinfo=UTC), "80.00"),
    ]
    Purchase.objects.bulk_create(
        Purchase(customer=customer, purchase_id=purchase, line=line, purchased_at=at, amount=amount)
        for customer, purchase, line, at, amount in lines
    )
    return ana, ben, cy


def values(customer) -> tuple:
    row = CustomerBehaviour.objects.get(customer=customer)
    return row.recency_days, row.frequency, row.monetary, row.avg_basket, row.tenure_days


def test_features_as_of_the_latest_purchase_day(history):
    ana, ben, cy = history

    assert behaviour_refresh() == 2

    # As of the end of 30 June 2025; the window starts 1 July 2024.
    assert values(ana) == (0, 3, Decimal("30.00"), Decimal("10.00"), 121)
    assert values(ben) == (532, 0, Decimal("0.00"), Decimal("0.00"), 532)
    assert not CustomerBehaviour.objects.filter(customer=cy).exists()  # never imputed
    as_of = CustomerBehaviour.objects.get(customer=ana).as_of
    assert as_of == dt.datetime(2025, 7, 1, tzinfo=UTC)


def test_an_earlier_as_of_day_ignores_later_purchases(history, settings):
    ana, ben, _ = history
    settings.BEHAVIOUR_AS_OF = dt.date(2025, 3, 31)

    behaviour_refresh()

    assert values(ana) == (30, 1, Decimal("15.00"), Decimal("15.00"), 30)
    assert values(ben) == (441, 0, Decimal("0.00"), Decimal("0.00"), 441)


def test_a_shorter_window_counts_fewer_purchases(history, settings):
    ana, _, _ = history
    settings.BEHAVIOUR_WINDOW_DAYS = 30

    behaviour_refresh()

    assert values(ana)[1:4] == (2, Decimal("15.00"), Decimal("7.50"))


def test_a_refresh_replaces_every_earlier_value(history):
    ana, _, _ = history
    behaviour_refresh()
    Purchase.objects.filter(customer=ana).delete()

    assert behaviour_refresh() == 1
    assert not CustomerBehaviour.objects.filter(customer=ana).exists()


def test_no_purchases_means_no_behaviour(db):
    CustomerFactory()

    assert behaviour_refresh() == 0 and not CustomerBehaviour.objects.exists()


def test_the_command_refreshes_and_says_how_many(history, capsys):
    call_command("refresh_behaviour")

    assert "computed for 2 customer(s)" in capsys.readouterr().out
