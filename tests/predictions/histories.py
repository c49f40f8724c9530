"""Synthetic purchase histories with a planted answer, for the engine and for the app around it."""

import numpy as np
import pandas as pd
from django.utils import timezone

from core.bulk import datetimes_as_text, insert_frame
from customers.models import Customer, Purchase
from tests.factories import CustomerFactory


def planted_history(
    *, as_of: pd.Timestamp, steady: int = 300, thinning: int = 300, days: int = 720, seed: int = 0
) -> pd.DataFrame:
    """Steady customers (ids 0 to steady - 1) visit about every 12 days until ``as_of``; thinning
    ones start as often but their gaps grow by half each visit, so most stop coming well before it."""
    rng = np.random.default_rng(seed)
    start = as_of - pd.Timedelta(days=days)
    rows = []
    for customer in range(steady + thinning):
        grows = customer >= steady
        moment, gap = rng.uniform(0, 20), rng.uniform(8, 16)
        while moment < days:
            rows.append((customer, start + pd.Timedelta(days=moment), round(rng.gamma(4, 15), 2)))
            gap = gap * 1.5 if grows and moment > days / 3 else gap
            moment += rng.exponential(gap)
    return pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"])


def history_store(lines: pd.DataFrame) -> dict[int, Customer]:
    """Create one customer per planted id and their purchases (one line each, in bulk, as the
    purchase import stores them); returns the customers by planted id."""
    planted_ids = sorted(lines["customer_id"].unique())
    customers = dict(zip(planted_ids, CustomerFactory.create_batch(len(planted_ids)), strict=True))
    now = datetimes_as_text(pd.Series([pd.Timestamp(timezone.now())] * len(lines)))
    insert_frame(
        table=Purchase._meta.db_table,
        frame=pd.DataFrame(
            {
                "customer_id": lines["customer_id"].map(lambda planted: customers[planted].pk),
                "purchase_id": [f"P{number}" for number in range(len(lines))],
                "line": 1,
                "purchased_at": datetimes_as_text(lines["purchased_at"].dt.floor("s")),
                "amount": lines["amount"],
                "store": "Main Street",
                "category": "General",
                "created_at": now.to_numpy(),
                "updated_at": now.to_numpy(),
            }
        ),
    )
    return customers
