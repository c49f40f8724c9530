"""The customer book as the engine's input: one numeric frame, read in bulk, never ORM objects per row."""

import pandas as pd

from core.bulk import read_frame
from customers.models import Customer
from segmentation.models import Assignment, SegmentationRun

CUSTOMER_COLUMNS = ["id", "annual_income", "spending_score", "age", "gender"]


def customers_frame() -> pd.DataFrame:
    """The whole customer book as one frame (id and the engine's columns), in id order."""
    columns = ", ".join(CUSTOMER_COLUMNS)
    return read_frame(
        query=f"SELECT {columns} FROM {Customer._meta.db_table} ORDER BY id", columns=CUSTOMER_COLUMNS
    )


def customers_unassigned_frame(*, run: SegmentationRun) -> pd.DataFrame:
    """Customers with no assignment in ``run`` (added after it clustered), as ``customers_frame``."""
    columns = ", ".join(f"c.{column}" for column in CUSTOMER_COLUMNS)
    assigned = (
        f"SELECT 1 FROM {Assignment._meta.db_table} AS a "
        f"WHERE a.customer_id = c.id AND a.run_id = {int(run.pk)}"
    )
    table = Customer._meta.db_table
    return read_frame(
        query=f"SELECT {columns} FROM {table} AS c WHERE NOT EXISTS ({assigned}) ORDER BY c.id",
        columns=CUSTOMER_COLUMNS,
    )
