"""The customer book as the engine's input: one numeric frame, read in bulk, never ORM objects per row.

Every customer is a row, with the behaviour features of those who have purchases (NaN for the
others: they are never imputed); ``with_values_for`` keeps the customers a run can segment.
"""

import pandas as pd

from core.bulk import read_frame
from customers.models import Customer, CustomerBehaviour
from segmentation import engine_adapter
from segmentation.models import Assignment, SegmentationRun

CUSTOMER_COLUMNS = ["id", "annual_income", "spending_score", "age", "gender"]
FRAME_COLUMNS = [*CUSTOMER_COLUMNS, *engine_adapter.BEHAVIOUR_FEATURES]


def customers_frame() -> pd.DataFrame:
    """The whole customer book as one frame (id and the engine's columns), in id order."""
    return _frame()


def customers_unassigned_frame(*, run: SegmentationRun) -> pd.DataFrame:
    """Customers with no assignment in ``run`` (added after it clustered), as ``customers_frame``."""
    assigned = (
        f"SELECT 1 FROM {Assignment._meta.db_table} AS a "
        f"WHERE a.customer_id = c.id AND a.run_id = {int(run.pk)}"
    )
    return _frame(where=f"NOT EXISTS ({assigned})")


def with_values_for(customers: pd.DataFrame, *, features: list[str]) -> pd.DataFrame:
    """The customers who have a value for every one of ``features`` (behaviour needs purchases)."""
    behaviour = [feature for feature in features if feature in engine_adapter.BEHAVIOUR_FEATURES]
    if not behaviour:
        return customers
    return customers.dropna(subset=behaviour).reset_index(drop=True)


def _frame(*, where: str = "") -> pd.DataFrame:
    columns = [f"c.{column}" for column in CUSTOMER_COLUMNS]
    columns += [f"b.{feature}" for feature in engine_adapter.BEHAVIOUR_FEATURES]
    return read_frame(
        query=(
            f"SELECT {', '.join(columns)} FROM {Customer._meta.db_table} AS c "
            f"LEFT JOIN {CustomerBehaviour._meta.db_table} AS b ON b.customer_id = c.id "
            f"{'WHERE ' + where if where else ''} ORDER BY c.id"
        ),
        columns=FRAME_COLUMNS,
    )
