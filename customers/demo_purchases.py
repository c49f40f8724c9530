"""Synthetic purchase histories for the demo customers, consistent with each one's persona.

Pure numpy and pandas, like ``customers.demo``: the same seed, customers and ``today`` always
give the same lines, generated for at most ``DEMO_PURCHASE_CUSTOMERS`` customers at a time, so
memory stays flat for a million customers.

Each customer gets a buying habit (``DEMO_HABITS``), drawn with shares that follow their
spending score: high scores are mostly regulars (recent and frequent) or lapsed (they bought
often, then stopped 5 to 10 months ago), low scores mostly occasional visitors (a couple of
purchases a year, the last one weeks ago); in every band 10% are new (first purchase within the
last 30 days) and 10% never bought. The habit sets the first and the last purchase day and how
often they buy in between (more often for higher scores); the other purchases fall one in each
of equal stretches between the two, as customers come back at a rhythm. Income picks the stores
(high earners favour the premium ones, low earners the budget ones); the store's prices, the
spending score and income set the amounts. A receipt has 1 to 8 lines from one store; about 3%
of lines are refunds (negative), never a receipt's first line (an item returned while buying
another). The shares are tuned so that a behaviour run (recency, frequency, spend, tenure; log
scaling) finds the behaviour personas: Loyal Regulars, Lapsed High Spenders, New Customers and
Occasional Visitors.

Dates: the history ends the day before ``today``, so no purchase is ever in the future,
whatever the hour of seeding, and it starts two years before. Seeding passes the portal's today
by default, so a new user sees recent purchases; tests pass a fixed day for fixed data. Times
fall within shop hours (9:00 to 21:00) in the given time zone and are returned in UTC.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from customers.importing.reading import ROW_COLUMN

DEMO_PURCHASE_CUSTOMERS = 10_000  # customers per generated frame: about 200,000 lines
DEMO_PURCHASE_ID_PREFIX = "DEMO-"
REFUND_SHARE_OF_LATER_LINES = 0.06  # a receipt's first line is a sale; later ones are refunds at this rate
MAX_LINES = 8
DATE_TEXT = "generated"  # the staging table's "date as written", only ever shown in import reports
_PURCHASE_STREAM = 1  # keeps purchase draws apart from the customer draws of the same seed
_OPENING_MINUTE, _OPEN_MINUTES = 9 * 60, 12 * 60


@dataclass(frozen=True)
class DemoStore:
    name: str
    categories: tuple[str, ...]
    line_price: float  # the typical amount of one line
    popularity: float
    premium: float  # above 0 drawn more by high incomes, below 0 by low ones


DEMO_STORES = (
    DemoStore("Northgate Fashion", ("Womenswear", "Menswear", "Accessories"), 40, 3, 0),
    DemoStore("Urban Thread Co.", ("Menswear", "Womenswear", "Shoes"), 35, 2, 0),
    DemoStore("Maison Verre", ("Designer fashion", "Leather goods"), 180, 1, 1),
    DemoStore("Aurum Jewellers", ("Jewellery", "Watches"), 220, 0.5, 1),
    DemoStore("Glow Beauty", ("Skincare", "Fragrance", "Make-up"), 30, 2, 0.3),
    DemoStore("Lumen Electronics", ("Phones", "Computers", "Audio", "Accessories"), 120, 1.5, 0.5),
    DemoStore("Stride Shoes", ("Shoes", "Sportswear"), 60, 1.5, 0),
    DemoStore("Peak Sports", ("Sportswear", "Equipment"), 50, 1, 0),
    DemoStore("Home & Hearth", ("Homeware", "Kitchen", "Bedding"), 45, 1.5, 0.2),
    DemoStore("Page Turner Books", ("Books", "Stationery"), 18, 1, 0),
    DemoStore("Kids' Corner", ("Toys", "Kidswear"), 25, 1.5, -0.3),
    DemoStore("Fresh Market", ("Groceries", "Household"), 25, 4, -0.5),
    DemoStore("Budget Bazaar", ("Household", "Clothing", "Toys"), 12, 2, -1),
    DemoStore("Bean & Leaf Café", ("Coffee", "Bakery"), 7, 4, 0),
    DemoStore("Cineplex", ("Cinema tickets", "Snacks"), 14, 1.5, 0),
)


@dataclass(frozen=True)
class DemoHabit:
    """How a kind of customer buys: when they first and last bought, and how often in between."""

    name: str
    per_year: float  # purchases a year in between, at a spending score of 50
    first_days_ago: tuple[int, int]  # the first purchase, in days before today (both ends included)
    last_days_ago: tuple[int, int]  # the last purchase, likewise
    shares: tuple[float, float, float]  # among customers of low, mid and high spending score


DEMO_HABITS = (
    DemoHabit("no purchases", 0, (1, 1), (1, 1), (0.10, 0.10, 0.10)),
    DemoHabit("new", 20, (1, 30), (1, 10), (0.10, 0.10, 0.10)),
    DemoHabit("regular", 14, (180, 730), (1, 14), (0.02, 0.15, 0.35)),
    DemoHabit("steady", 6, (180, 730), (1, 45), (0.13, 0.22, 0.06)),
    DemoHabit("occasional", 2.5, (180, 730), (15, 80), (0.60, 0.18, 0.04)),
    DemoHabit("lapsed", 14, (450, 730), (150, 300), (0.05, 0.25, 0.35)),
)
_SPENDING_BAND_STARTS = np.array([0, 34, 67])  # low, mid, high as in customers.bands
_HABIT_SHARES = np.array([habit.shares for habit in DEMO_HABITS]).T  # band × habit
_HABIT_PER_YEAR = np.array([habit.per_year for habit in DEMO_HABITS])
_HABIT_FIRST_DAYS_AGO = np.array([habit.first_days_ago for habit in DEMO_HABITS])
_HABIT_LAST_DAYS_AGO = np.array([habit.last_days_ago for habit in DEMO_HABITS])
_NAMES = np.array([store.name for store in DEMO_STORES], dtype=object)
_PRICES = np.array([store.line_price for store in DEMO_STORES])
_POPULARITY = np.array([store.popularity for store in DEMO_STORES])
_PREMIUM = np.array([store.premium for store in DEMO_STORES])
_CATEGORY_COUNTS = np.array([len(store.categories) for store in DEMO_STORES])
_CATEGORIES = np.array(
    [store.categories + ("",) * (_CATEGORY_COUNTS.max() - len(store.categories)) for store in DEMO_STORES],
    dtype=object,
)


class DemoPurchaseLines:
    """Purchase lines for successive chunks of demo customers, with rows numbered on across chunks.

    Each frame has the staged columns of a purchase import (``PurchaseStaging.append``);
    purchase IDs are ``DEMO-<customer ID>-<n>``, n counting the customer's purchases from 1.
    """

    def __init__(self, *, seed: int, today: date, time_zone: str) -> None:
        self._rng = np.random.default_rng([seed, _PURCHASE_STREAM])
        self._today = np.datetime64(today, "D")
        self._time_zone = time_zone
        self._next_row = 1

    def chunks_for(self, customers: pd.DataFrame) -> Iterator[pd.DataFrame]:
        """Yield the lines of ``customers`` (columns of ``demo_customer_chunks``) in bounded frames."""
        for start in range(0, len(customers), DEMO_PURCHASE_CUSTOMERS):
            frame = self._lines(customers.iloc[start : start + DEMO_PURCHASE_CUSTOMERS])
            self._next_row += len(frame)
            if len(frame):
                yield frame

    def _lines(self, customers: pd.DataFrame) -> pd.DataFrame:
        rng = self._rng
        income = customers["annual_income"].to_numpy(dtype=float)
        spending = customers["spending_score"].to_numpy(dtype=float)
        customer, days_ago, minute, number = _purchases(rng, spending=spending)
        store = _stores(rng, income=(income[customer] - 55) / 25)
        line_counts = 1 + np.minimum(rng.poisson(1.2, len(customer)), MAX_LINES - 1)
        purchase = np.repeat(np.arange(len(customer)), line_counts)  # the purchase of each line
        line_store, line_customer = store[purchase], customer[purchase]
        later_line = np.arange(len(purchase)) != (np.cumsum(line_counts) - line_counts)[purchase]
        amount = _amounts(rng, store=line_store, customer=line_customer, income=income, spending=spending)
        amount = np.where(
            later_line & (rng.random(len(purchase)) < REFUND_SHARE_OF_LATER_LINES), -amount, amount
        )
        category_index = (rng.random(len(purchase)) * _CATEGORY_COUNTS[line_store]).astype(int)
        external_ids = customers["external_id"].to_numpy(dtype=object)[customer]
        purchase_ids = DEMO_PURCHASE_ID_PREFIX + pd.Series(external_ids) + "-" + pd.Series(number).astype(str)
        moments = self._moments(days_ago=days_ago, minute=minute)
        no_date = pd.Series(pd.NaT, index=range(len(purchase)), dtype="datetime64[ns, UTC]")
        return pd.DataFrame(
            {
                ROW_COLUMN: np.arange(self._next_row, self._next_row + len(purchase)),
                "external_id": external_ids[purchase],
                "purchase_id": purchase_ids.to_numpy()[purchase],
                "purchased_at": moments[purchase],
                "day_first_at": no_date,
                "month_first_at": no_date,
                "date_text": DATE_TEXT,
                "amount": amount,
                "store": _NAMES[line_store],
                "category": _CATEGORIES[line_store, category_index],
            }
        )

    def _moments(self, *, days_ago: np.ndarray, minute: np.ndarray) -> pd.DatetimeIndex:
        """Days before today at a minute of the day, in the portal's time zone, as UTC."""
        day = (self._today - days_ago.astype("timedelta64[D]")).astype("datetime64[m]")
        local = day + minute.astype("timedelta64[m]")
        zoned = pd.DatetimeIndex(local).tz_localize(
            self._time_zone, ambiguous=np.zeros(len(local), dtype=bool), nonexistent="shift_forward"
        )
        return zoned.tz_convert("UTC")


def _purchases(rng: np.random.Generator, *, spending: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each purchase's customer (an index), days before today, minute of the day (in shop hours)
    and number for its customer (from 1), ordered by customer and then time."""
    per_year, first_ago, last_ago = _active_days(rng, spending=spending)
    later = rng.poisson(per_year * (first_ago - last_ago) / 365)
    # Established customers bought at least twice: on their first and on their last day.
    later = np.where(first_ago - last_ago >= 180, np.maximum(later, 1), later)
    counts = np.where(per_year > 0, 1 + later, 0)
    customer = np.repeat(np.arange(len(spending)), counts)
    first_of_customer = np.cumsum(counts) - counts
    number = np.arange(len(customer)) - first_of_customer[customer] + 1
    count = counts[customer]
    # The first purchase is on the first day, the last on the last day, and those between fall
    # one in each of equal stretches of the days between.
    stretch = (number - 2 + rng.random(len(customer))) / np.maximum(count - 2, 1)
    span = first_ago[customer] - last_ago[customer]
    days_ago = np.where(number == 1, 0, np.floor(np.clip(stretch, 0, 1) * span).astype(int))
    days_ago = np.where((number == count) & (number > 1), span, days_ago)
    days_ago = first_ago[customer] - days_ago
    minute = _OPENING_MINUTE + rng.integers(0, _OPEN_MINUTES, len(customer))
    order = np.lexsort((minute, -days_ago, customer))  # two purchases on one day, in time order
    return customer, days_ago[order], minute[order], number


def _active_days(rng: np.random.Generator, *, spending: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each customer's purchases a year (by habit and spending score, with some spread), and first
    and last purchase day, in days before today (1 = yesterday)."""
    size = len(spending)
    band = np.searchsorted(_SPENDING_BAND_STARTS, spending, side="right") - 1
    habit = (rng.random(size)[:, None] > np.cumsum(_HABIT_SHARES, axis=1)[band]).sum(axis=1)
    habit = np.minimum(habit, len(DEMO_HABITS) - 1)

    def days_ago(low: np.ndarray, high: np.ndarray) -> np.ndarray:
        return rng.integers(low[habit], high[habit] + 1)

    per_year = _HABIT_PER_YEAR[habit] * (0.5 + spending / 100) * rng.lognormal(0, 0.25, size)
    first_ago = days_ago(*_HABIT_FIRST_DAYS_AGO.T)
    return per_year, first_ago, np.minimum(days_ago(*_HABIT_LAST_DAYS_AGO.T), first_ago)


def _stores(rng: np.random.Generator, *, income: np.ndarray) -> np.ndarray:
    """A store for each purchase, given the customer's income in spreads from the middle (0)."""
    weights = _POPULARITY * np.exp(np.outer(income, _PREMIUM))
    cumulative = np.cumsum(weights, axis=1)
    drawn = rng.random(len(income)) * cumulative[:, -1]
    return np.minimum((drawn[:, None] > cumulative).sum(axis=1), len(DEMO_STORES) - 1)


def _amounts(
    rng: np.random.Generator,
    *,
    store: np.ndarray,
    customer: np.ndarray,
    income: np.ndarray,
    spending: np.ndarray,
) -> np.ndarray:
    """Each line's amount: about the store's price, more for high spending scores and incomes."""
    scale = ((0.5 + spending / 100) * (income / 55) ** 0.3)[customer]
    return np.round(np.clip(_PRICES[store] * scale * rng.lognormal(0, 0.5, len(store)), 0.5, 50_000), 2)
