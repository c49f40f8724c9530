"""The demo purchase generator (customers.demo_purchases): pure numpy and pandas, no database."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from customers import demo_purchases
from customers.demo import demo_customer_chunks
from customers.demo_purchases import DEMO_HABITS, DEMO_STORES, DemoPurchaseLines
from customers.importing.purchase_validation import STAGED_COLUMNS

TODAY = dt.date(2026, 3, 15)


def generated(*, count: int = 2_000, seed: int = 42, today: dt.date = TODAY, time_zone: str = "UTC"):
    """The demo customers and all their purchase lines, as two frames."""
    source = DemoPurchaseLines(seed=seed, today=today, time_zone=time_zone)
    customers, lines = [], []
    for chunk in demo_customer_chunks(count=count, seed=seed):
        customers.append(chunk)
        lines.extend(source.chunks_for(chunk))
    return pd.concat(customers, ignore_index=True), pd.concat(lines, ignore_index=True)


@pytest.fixture(scope="module")
def book():
    return generated(count=20_000)


def per_customer(customers: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Purchases, last purchase and spending band of every customer with purchases."""
    receipts = lines.groupby("purchase_id").agg(
        external_id=("external_id", "first"), at=("purchased_at", "first")
    )
    summary = receipts.groupby("external_id").agg(purchases=("at", "size"), last=("at", "max"))
    summary = summary.join(customers.set_index("external_id")["spending_score"])
    summary["band"] = pd.cut(summary["spending_score"], [0, 33, 66, 100], labels=["low", "mid", "high"])
    return summary


def test_the_same_seed_and_day_give_the_same_lines():
    _, first = generated(count=500, seed=3)
    _, again = generated(count=500, seed=3)

    pd.testing.assert_frame_equal(first, again)


def test_another_seed_or_day_gives_other_lines():
    _, first = generated(count=500, seed=3)
    _, other_seed = generated(count=500, seed=4)
    _, other_day = generated(count=500, seed=3, today=TODAY + dt.timedelta(days=1))

    assert not first.equals(other_seed)
    assert (other_day["purchased_at"] - first["purchased_at"] == pd.Timedelta(days=1)).all()


def test_lines_have_the_staged_columns_of_an_import_numbered_in_order(book):
    _, lines = book

    assert list(lines.columns) == list(STAGED_COLUMNS)
    assert (lines["row"].to_numpy() == np.arange(1, len(lines) + 1)).all()
    assert str(lines["purchased_at"].dt.tz) == "UTC"
    assert lines["purchase_id"].str.startswith("DEMO-").all()


def test_about_one_customer_in_ten_has_no_purchases(book):
    customers, lines = book

    without = 1 - lines["external_id"].nunique() / len(customers)

    assert 0.08 <= without <= 0.12


def test_about_twenty_lines_a_customer_and_several_lines_a_receipt(book):
    customers, lines = book
    lines_per_receipt = lines.groupby("purchase_id").size()

    assert 15 <= len(lines) / len(customers) <= 30
    assert 2 <= lines_per_receipt.mean() <= 2.5
    assert lines_per_receipt.max() <= demo_purchases.MAX_LINES


def test_a_receipt_is_one_store_at_one_moment(book):
    _, lines = book
    receipts = lines.groupby("purchase_id")

    assert (receipts["store"].nunique() == 1).all()
    assert (receipts["purchased_at"].nunique() == 1).all()
    assert (receipts["external_id"].nunique() == 1).all()


def test_some_lines_are_refunds_but_never_a_receipts_first(book):
    _, lines = book
    first_lines = lines.groupby("purchase_id").head(1)

    assert 0.02 <= (lines["amount"] < 0).mean() <= 0.04
    assert (first_lines["amount"] > 0).all()
    assert (lines["amount"] != 0).all()
    assert (lines["amount"] == lines["amount"].round(2)).all()


def test_stores_and_categories_come_from_the_mall_list(book):
    _, lines = book
    categories = {(store.name, category) for store in DEMO_STORES for category in store.categories}

    assert set(lines["store"]) == {store.name for store in DEMO_STORES}
    assert set(zip(lines["store"], lines["category"], strict=True)) <= categories


def test_dates_run_up_to_the_day_before_today_within_two_years_in_shop_hours():
    _, lines = generated(count=2_000, time_zone="Asia/Tokyo")
    local = lines["purchased_at"].dt.tz_convert("Asia/Tokyo")

    assert local.dt.date.max() == TODAY - dt.timedelta(days=1)
    assert local.dt.date.min() >= TODAY - dt.timedelta(days=730)
    assert local.dt.hour.between(9, 20).all()


def test_high_spending_scores_buy_more_often_and_spend_more_per_line(book):
    customers, lines = book
    summary = per_customer(customers, lines)
    purchases = summary.groupby("band", observed=True)["purchases"].mean()
    with_band = lines.join(summary["band"], on="external_id")
    line_amount = with_band[with_band["amount"] > 0].groupby("band", observed=True)["amount"].mean()

    assert purchases["high"] > 2 * purchases["low"]
    assert line_amount["high"] > line_amount["low"]


def test_recent_regulars_lapsed_and_new_customers_all_exist(book):
    customers, lines = book
    summary = per_customer(customers, lines)
    first = lines.groupby("external_id")["purchased_at"].min()
    end = pd.Timestamp(TODAY, tz="UTC")
    days_since_last = (end - summary["last"]).dt.days

    regulars = (days_since_last <= 14) & (summary["purchases"] >= 15)
    lapsed = days_since_last >= 150
    new = (end - first).dt.days <= 30
    assert regulars.mean() > 0.1
    assert lapsed.mean() > 0.1
    assert summary.loc[lapsed[lapsed].index, "band"].eq("high").mean() > 0.4  # lapsed high spenders
    assert 0.08 <= new.mean() <= 0.14


def test_habit_shares_add_up_in_every_spending_band():
    for band in range(3):
        assert sum(habit.shares[band] for habit in DEMO_HABITS) == pytest.approx(1)


def test_frames_stay_bounded_and_rows_run_on_across_chunks(monkeypatch):
    monkeypatch.setattr(demo_purchases, "DEMO_PURCHASE_CUSTOMERS", 100)
    source = DemoPurchaseLines(seed=1, today=TODAY, time_zone="UTC")
    [customers] = demo_customer_chunks(count=1_000, seed=1)

    frames = list(source.chunks_for(customers))

    assert len(frames) == 10
    assert all(frame["external_id"].nunique() <= 100 for frame in frames)
    rows = pd.concat(frames)["row"].to_numpy()
    assert (rows == np.arange(1, len(rows) + 1)).all()
