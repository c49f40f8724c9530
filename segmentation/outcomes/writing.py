"""Writing checked sends: new ones added, changed ones updated, the same ones left alone."""

from decimal import Decimal

import pandas as pd

from segmentation.models import CampaignOutcome

SEND_KEY = ["customer_id", "campaign_id", "sent_on"]
VALUES = ["responded", "revenue", "control"]
LOOKUP_BATCH = 5_000
WRITE_BATCH = 2_000


def outcomes_write(sends: pd.DataFrame) -> tuple[int, int, int]:
    """Upsert ``sends`` (one row per SEND_KEY, with VALUES) by their key, inside the caller's
    transaction. Returns (added, updated, unchanged)."""
    merged = sends[SEND_KEY + VALUES].merge(_stored(sends), on=SEND_KEY, how="left", indicator=True)
    new = merged["_merge"] == "left_only"
    changed = ~new & (
        (merged["responded"] != merged["stored_responded"])
        | (merged["control"] != merged["stored_control"])
        | ((merged["revenue"] - merged["stored_revenue"]).abs() >= 0.005)
    )
    CampaignOutcome.objects.bulk_create(
        [_outcome(row) for row in merged[new | changed].itertuples(index=False)],
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["customer", "campaign", "sent_on"],
        update_fields=[*VALUES, "updated_at"],
    )
    added, updated = int(new.sum()), int(changed.sum())
    return added, updated, len(sends) - added - updated


def _stored(sends: pd.DataFrame) -> pd.DataFrame:
    """The stored sends of the file's customers and campaigns, their values prefixed ``stored_``."""
    customers = sends["customer_id"].unique().tolist()
    campaigns = sends["campaign_id"].unique().tolist()
    rows = []
    for start in range(0, len(customers), LOOKUP_BATCH):
        rows += CampaignOutcome.objects.filter(
            customer_id__in=customers[start : start + LOOKUP_BATCH], campaign_id__in=campaigns
        ).values_list(*SEND_KEY, *VALUES)
    stored = pd.DataFrame(rows, columns=SEND_KEY + [f"stored_{value}" for value in VALUES])
    stored["stored_revenue"] = stored["stored_revenue"].astype("float64")
    return stored.astype({"customer_id": "int64", "campaign_id": "int64"})


def _outcome(row) -> CampaignOutcome:
    return CampaignOutcome(
        customer_id=row.customer_id,
        campaign_id=row.campaign_id,
        sent_on=row.sent_on,
        responded=bool(row.responded),
        revenue=Decimal(f"{row.revenue:.2f}"),
        control=bool(row.control),
    )
