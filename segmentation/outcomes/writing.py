"""Writing checked sends in two set-based statements: changed sends updated, new ones added.

The sends go into a temporary table (COPY on PostgreSQL), then one UPDATE … FROM changes the
stored sends whose values differ and one INSERT … SELECT … ON CONFLICT DO NOTHING adds the sends
not stored yet, both on the key (customer, campaign, day) of the table's unique index. A million sends
take seconds this way, where one ORM object per send took over a minute.
"""

import pandas as pd
from django.db import connection
from django.utils import timezone

from core.bulk import TemporaryTable, insert_frame
from segmentation.models import CampaignOutcome

SEND_KEY = ("customer_id", "campaign_id", "sent_on")
VALUES = ("responded", "revenue", "control")
_TABLE = CampaignOutcome._meta.db_table
_MATCHES = " AND ".join(f"o.{column} = s.{column}" for column in SEND_KEY)


class SendStaging(TemporaryTable):
    """The file's sends, one row per key, typed as the outcome table stores them."""

    name = "outcome_import_sends"
    definition = (
        "customer_id bigint NOT NULL, campaign_id bigint NOT NULL, sent_on date NOT NULL, "
        "responded boolean NOT NULL, revenue numeric(12, 2) NOT NULL, control boolean NOT NULL"
    )


def outcomes_write(sends: pd.DataFrame) -> tuple[int, int, int]:
    """Upsert ``sends`` (one row per SEND_KEY, with VALUES) by their key, inside the caller's
    transaction. Returns (added, updated, unchanged)."""
    frame = sends.loc[:, [*SEND_KEY, *VALUES]].copy()
    frame["sent_on"] = pd.to_datetime(frame["sent_on"]).dt.strftime("%Y-%m-%d")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with SendStaging() as staging, connection.cursor() as cursor:
        insert_frame(table=staging.name, frame=frame)
        staging.index_and_analyse("customer_id")
        changed = " OR ".join(f"o.{column} <> s.{column}" for column in VALUES)
        assignments = ", ".join(f"{column} = s.{column}" for column in VALUES)
        cursor.execute(
            f"UPDATE {_TABLE} AS o SET {assignments}, updated_at = %s FROM {staging.name} AS s "
            f"WHERE {_MATCHES} AND ({changed})",
            [now],
        )
        updated = cursor.rowcount
        columns = ", ".join((*SEND_KEY, *VALUES))
        # Not an anti-join on the table being filled: planned on its statistics from before the
        # insert, it can scan the growing table once per row. The unique index decides instead.
        # ("WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.)
        cursor.execute(
            f"INSERT INTO {_TABLE} ({columns}, created_at, updated_at) "
            f"SELECT {', '.join(f's.{column}' for column in (*SEND_KEY, *VALUES))}, %s, %s "
            f"FROM {staging.name} AS s WHERE true ON CONFLICT ({', '.join(SEND_KEY)}) DO NOTHING",
            [now, now],
        )
        added = cursor.rowcount
    return added, updated, len(sends) - added - updated
