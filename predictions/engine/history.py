"""What a customer's purchase history says as of a cut-off, and what happened after it.

``lines``: purchase lines (rows of one purchase share its moment and are summed), columns
``customer_id``, ``purchased_at`` (timezone-aware timestamps) and ``amount`` (net, refunds
negative). Features read only lines strictly before the cut-off, outcomes only lines in
[cut-off, cut-off + horizon): a model trained on them never sees the future it is asked about.
"""

import numpy as np
import pandas as pd

FEATURES = (
    "recency_days",
    "tenure_days",
    "purchases_90",
    "purchases_365",
    "spend_90",
    "spend_365",
    "mean_gap_days",
    "gap_trend",
)
"""recency and tenure in days; purchases and net spend in the last 90 and 365 days; the mean gap
between purchases, and the last gap over that mean (above 1: visits are thinning)."""


def features_as_of(lines: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """One row per customer with a purchase before ``cutoff`` (index ``customer_id``), FEATURES."""
    before = lines[lines["purchased_at"] < cutoff]
    purchases = _purchases(before)
    by_customer = purchases.groupby("customer_id")
    first, last = by_customer["purchased_at"].min(), by_customer["purchased_at"].max()
    features = pd.DataFrame(index=first.index)
    features["recency_days"] = (cutoff - last).dt.total_seconds() / 86_400
    features["tenure_days"] = (cutoff - first).dt.total_seconds() / 86_400
    for days in (90, 365):
        recent = purchases[purchases["purchased_at"] >= cutoff - pd.Timedelta(days=days)]
        grouped = recent.groupby("customer_id")
        features[f"purchases_{days}"] = grouped.size().reindex(features.index, fill_value=0)
        features[f"spend_{days}"] = grouped["amount"].sum().reindex(features.index, fill_value=0.0)
    gaps = by_customer["purchased_at"].diff().dt.total_seconds() / 86_400
    purchases = purchases.assign(gap=gaps)
    mean_gap = purchases.groupby("customer_id")["gap"].mean()
    last_gap = purchases.groupby("customer_id")["gap"].last()
    features["mean_gap_days"] = mean_gap.reindex(features.index)
    features["gap_trend"] = (last_gap / mean_gap).replace([np.inf, -np.inf], np.nan).reindex(features.index)
    return features[list(FEATURES)]


def outcomes_after(
    lines: pd.DataFrame, cutoff: pd.Timestamp, horizon_days: int, customers: pd.Index
) -> pd.DataFrame:
    """For each of ``customers`` (index): ``lapsed`` (no purchase in [cutoff, cutoff + horizon))
    and ``spend`` (net spend in it)."""
    end = cutoff + pd.Timedelta(days=horizon_days)
    window = lines[(lines["purchased_at"] >= cutoff) & (lines["purchased_at"] < end)]
    spend = window.groupby("customer_id")["amount"].sum().reindex(customers, fill_value=0.0)
    bought = window.groupby("customer_id").size().reindex(customers, fill_value=0)
    return pd.DataFrame({"lapsed": bought == 0, "spend": spend.astype(float)}, index=customers)


def _purchases(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines folded into purchases (one per customer and moment), in time order per customer."""
    folded = lines.groupby(["customer_id", "purchased_at"], as_index=False)["amount"].sum()
    return folded.sort_values(["customer_id", "purchased_at"], kind="stable").reset_index(drop=True)
