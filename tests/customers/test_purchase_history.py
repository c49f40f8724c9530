"""A customer's purchase history (customers.purchase_history) and its panel on the customer page:
net spend per calendar month with refunds subtracted, lines grouped into purchases by purchase ID,
purchases newest first a page at a time, and a plain "No purchase history" without any."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from customers.models import Purchase
from customers.purchase_history import PURCHASES_PER_PAGE, purchase_history, purchase_page
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

MARCH_4 = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)


def buy(customer, purchase_id: str, when: datetime, *amounts: str, store: str = "North") -> None:
    """One purchase of ``customer``: a receipt line per amount (negative: a refund)."""
    Purchase.objects.bulk_create(
        Purchase(
            customer=customer,
            purchase_id=purchase_id,
            line=line,
            purchased_at=when,
            amount=Decimal(amount),
            store=store,
        )  # fmt: skip
        for line, amount in enumerate(amounts, start=1)
    )


def monthly(history) -> list[tuple[str, Decimal]]:
    return [(spend.month.strftime("%Y-%m"), spend.net_amount) for spend in history.months]


def purchase_ids(page) -> list[str]:
    return [row.purchase_id for row in page.items]


@pytest.fixture
def customer():
    return CustomerFactory(external_id="C-7")


def test_monthly_spend_subtracts_refunds_and_shows_empty_months_as_zero(customer):
    buy(customer, "R1", datetime(2025, 1, 10, tzinfo=UTC), "100.00", "-20.00")
    buy(customer, "R2", datetime(2025, 1, 28, tzinfo=UTC), "5.50")
    buy(customer, "R3", datetime(2025, 3, 2, tzinfo=UTC), "-30.00")

    history = purchase_history(customer=customer)

    assert monthly(history) == [
        ("2025-01", Decimal("85.50")),
        ("2025-02", Decimal("0.00")),
        ("2025-03", Decimal("-30.00")),
    ]
    assert history.chart_data == {"labels": ["Jan 2025", "Feb 2025", "Mar 2025"], "net": [85.5, 0.0, -30.0]}


def test_months_are_calendar_months_of_the_configured_time_zone(customer, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    buy(customer, "R1", datetime(2025, 1, 31, 20, 0, tzinfo=UTC), "10.00")  # 1 February in Tokyo
    buy(customer, "R2", datetime(2025, 2, 28, 16, 0, tzinfo=UTC), "7.00")  # 1 March in Tokyo

    assert monthly(purchase_history(customer=customer)) == [
        ("2025-02", Decimal("10.00")),
        ("2025-03", Decimal("7.00")),
    ]


def test_the_chart_shows_at_most_the_latest_24_months(customer):
    for month in range(30):  # July 2022 to December 2024
        year, month_index = divmod(2022 * 12 + 6 + month, 12)
        buy(customer, f"R{month}", datetime(year, month_index + 1, 15, tzinfo=UTC), "1")

    history = purchase_history(customer=customer)

    assert len(history.months) == 24
    assert (monthly(history)[0][0], monthly(history)[-1][0]) == ("2023-01", "2024-12")
    assert history.chart_capped
    assert history.summary.purchase_count == 30  # the facts count every purchase, shown or not


def test_lines_with_one_purchase_id_are_one_purchase(customer):
    buy(customer, "R1", MARCH_4, "40.00", "12.25", "-2.25", store="South")
    buy(customer, "R2", MARCH_4 + timedelta(days=1), "3.00")

    history = purchase_history(customer=customer)

    assert [(row.purchase_id, row.line_count, row.net_amount, row.store) for row in history.page.items] == [
        ("R2", 1, Decimal("3.00"), "North"),
        ("R1", 3, Decimal("50.00"), "South"),
    ]
    summary = history.summary
    assert (summary.purchase_count, summary.net_total) == (2, Decimal("53.00"))
    assert (summary.first_purchased_at, summary.last_purchased_at) == (MARCH_4, MARCH_4 + timedelta(days=1))


def test_purchases_page_newest_first_forward_and_back(customer):
    for number in range(45):
        buy(customer, f"R{number:02d}", MARCH_4 + timedelta(days=number), "1")
    newest_first = [f"R{number:02d}" for number in reversed(range(45))]

    first = purchase_page(customer=customer)
    second = purchase_page(customer=customer, after=first.next_after)
    third = purchase_page(customer=customer, after=second.next_after)
    back = purchase_page(customer=customer, before=third.previous_before)

    assert purchase_ids(first) == newest_first[:PURCHASES_PER_PAGE]
    assert purchase_ids(second) == newest_first[PURCHASES_PER_PAGE : 2 * PURCHASES_PER_PAGE]
    assert purchase_ids(third) == newest_first[2 * PURCHASES_PER_PAGE :]
    assert (first.previous_before, third.next_after) == (None, None)
    assert purchase_ids(back) == purchase_ids(second)


def test_purchases_at_the_same_moment_page_without_repeats_or_gaps(customer):
    for number in range(25):
        buy(customer, f"R{number:02d}", MARCH_4, "1")

    first = purchase_page(customer=customer, size=10)
    rest = [first]
    while rest[-1].next_after:
        rest.append(purchase_page(customer=customer, after=rest[-1].next_after, size=10))

    shown = [purchase_id for page in rest for purchase_id in purchase_ids(page)]
    assert shown == sorted(shown, reverse=True) and len(shown) == len(set(shown)) == 25


def test_a_customer_without_purchases_has_no_history(customer):
    buy(CustomerFactory(), "R1", MARCH_4, "10")

    assert purchase_history(customer=customer) is None


def test_the_history_costs_the_same_queries_however_many_lines(customer, django_assert_num_queries):
    for number in range(300):
        buy(customer, f"R{number:03d}", MARCH_4 - timedelta(days=number * 2), "10", "-1", "2.5")

    with django_assert_num_queries(4):  # facts, months, page of purchases, their totals
        history = purchase_history(customer=customer)

    assert history.summary.purchase_count == 300 and len(history.page.items) == PURCHASES_PER_PAGE


# The customer page


def test_customer_page_shows_the_purchase_history(marketing_client, customer):
    buy(customer, "INV-1", MARCH_4, "40.00", "-2.50", store="North Wing")

    response = marketing_client.get(customer.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Purchase history" in html and "No purchase history" not in html
    row = r'<td>INV-1</td>\s*<td>4 Mar 2025 <span class="muted">12:00</span></td>\s*<td class="num">2</td>\s*'
    row += r'<td class="num">37.50</td>'
    assert re.search(row, html)
    assert "North Wing" in html
    assert 'id="purchase-history-data" type="application/json"' in html
    assert "js/purchase-history.js" in html


def test_a_purchase_without_a_time_shows_its_date_alone(marketing_client, customer):
    buy(customer, "INV-1", datetime(2025, 3, 4, tzinfo=UTC), "1")  # midnight, as a date-only file gives

    response = marketing_client.get(customer.get_absolute_url())

    assert "<td>4 Mar 2025</td>" in response.content.decode()


def test_customer_page_without_purchases_says_no_purchase_history(marketing_client, customer):
    response = marketing_client.get(customer.get_absolute_url())

    html = response.content.decode()
    assert "No purchase history" in html
    assert "purchase-history-data" not in html and "chart.umd.min.js" not in html


def test_customer_page_pages_through_purchases(marketing_client, customer):
    for number in range(25):
        buy(customer, f"R{number:02d}", MARCH_4 + timedelta(days=number), "1")

    first = marketing_client.get(customer.get_absolute_url()).content.decode()
    next_link = re.search(r'rel="next" href="\?after=(\d+)#purchases"', first)
    second = marketing_client.get(customer.get_absolute_url(), {"after": next_link.group(1)}).content.decode()

    assert "<td>R24</td>" in first and "<td>R04</td>" not in first
    assert "<td>R04</td>" in second and "<td>R00</td>" in second and "<td>R05</td>" not in second
    assert 'rel="prev" href="?before=' in second and 'rel="next"' not in second


def test_customer_page_past_the_last_purchase_offers_the_newest(marketing_client, customer):
    buy(customer, "R1", MARCH_4, "1")

    response = marketing_client.get(customer.get_absolute_url(), {"after": "999"})

    assert "No purchases on this page" in response.content.decode()
