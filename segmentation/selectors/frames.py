"""The customer book as the engine's input: one numeric frame, read in bulk, never ORM objects per row.

Every customer is a row, with the behaviour features of those who have purchases and the values
of the declared attributes asked for (NaN where a customer has none: values are never imputed);
``with_values_for`` keeps the customers a run can segment.
"""

from collections.abc import Sequence

import pandas as pd

from core.bulk import read_columns
from customers.models import Customer, CustomerAttribute, CustomerAttributeValue, CustomerBehaviour, Gender
from segmentation import engine_adapter
from segmentation.models import Assignment, SegmentationRun

CUSTOMER_COLUMN_KINDS = {
    "id": "bigint",
    "annual_income": "double",
    "spending_score": "smallint",
    "age": "smallint",
    "gender": "smallint",  # read as its number among GENDERS, returned as a category (_gender_number)
}
CUSTOMER_COLUMNS = list(CUSTOMER_COLUMN_KINDS)
GENDERS = list(Gender.values)
BEHAVIOUR_FEATURES = list(engine_adapter.BEHAVIOUR_FEATURES)
BEHAVIOUR_KINDS = dict.fromkeys(BEHAVIOUR_FEATURES, "double")  # NaN for a customer without purchases


def customers_frame(*, attributes: Sequence[str] = (), behaviour: bool = True) -> pd.DataFrame:
    """The whole customer book as one frame (id, the built-in features, unless ``behaviour`` is
    False those from purchases too, and a column per declared attribute named in ``attributes``),
    in id order."""
    return _frame(attributes=attributes, behaviour=behaviour)


def customers_unassigned_frame(*, run: SegmentationRun) -> pd.DataFrame:
    """Customers with no assignment in ``run`` (added after it clustered), as ``customers_frame``."""
    assigned = (
        f"SELECT 1 FROM {Assignment._meta.db_table} AS a "
        f"WHERE a.customer_id = c.id AND a.run_id = {int(run.pk)}"
    )
    return _frame(
        attributes=list(run.custom_features), behaviour=run.uses_behaviour, where=f"NOT EXISTS ({assigned})"
    )


def with_behaviour(customers: pd.DataFrame) -> pd.DataFrame:
    """``customers`` (a frame read without behaviour) with their behaviour features: for a sample,
    where reading a few thousand rows by id is cheaper than joining the whole book."""
    if set(BEHAVIOUR_FEATURES) <= set(customers.columns):
        return customers
    ids = ", ".join(str(int(customer_id)) for customer_id in customers["id"]) or "NULL"
    behaviour = read_columns(
        query=(
            f"SELECT customer_id, {', '.join(BEHAVIOUR_FEATURES)} FROM {CustomerBehaviour._meta.db_table} "
            f"WHERE customer_id IN ({ids})"
        ),
        columns={"id": "bigint", **BEHAVIOUR_KINDS},
    )
    return customers.merge(behaviour.astype({"id": customers["id"].dtype}), on="id", how="left")


def with_values_for(customers: pd.DataFrame, *, features: list[str]) -> pd.DataFrame:
    """The customers who have a value for every one of ``features`` (behaviour needs purchases, an
    attribute its value)."""
    if not customers[features].isna().any(axis=None):
        return customers
    return customers.dropna(subset=features).reset_index(drop=True)


def _frame(*, attributes: Sequence[str], behaviour: bool, where: str = "") -> pd.DataFrame:
    """One LEFT JOIN per attribute: a run uses a handful, and each join reads one indexed value.
    The behaviour join is left out when not needed: at a million customers it is half the read.
    Behaviour and attribute values are read as doubles: a customer without one has NaN."""
    attribute_ids = dict(CustomerAttribute.objects.filter(name__in=attributes).values_list("name", "pk"))
    selected = [_gender_number("c.gender") if name == "gender" else f"c.{name}" for name in CUSTOMER_COLUMNS]
    kinds = dict(CUSTOMER_COLUMN_KINDS)
    joins = []
    if behaviour:
        selected += [f"b.{feature}" for feature in BEHAVIOUR_FEATURES]
        kinds.update(BEHAVIOUR_KINDS)
        joins.append(f"LEFT JOIN {CustomerBehaviour._meta.db_table} AS b ON b.customer_id = c.id")
    for number, name in enumerate(attributes):
        # An attribute deleted since the run started has no values: its column is all NULL.
        attribute_id = int(attribute_ids.get(name, 0))
        selected.append(f"a{number}.value")
        kinds[name] = "double"
        joins.append(
            f"LEFT JOIN {CustomerAttributeValue._meta.db_table} AS a{number} "
            f"ON a{number}.customer_id = c.id AND a{number}.attribute_id = {attribute_id}"
        )
    frame = read_columns(
        query=(
            f"SELECT {', '.join(selected)} FROM {Customer._meta.db_table} AS c {' '.join(joins)} "
            f"{'WHERE ' + where if where else ''} ORDER BY c.id"
        ),
        columns=kinds,
    )
    frame["gender"] = pd.Categorical.from_codes(frame["gender"], categories=GENDERS)
    return frame


def _gender_number(column: str) -> str:
    """SQL for the gender's number among GENDERS: a million numbers read and become a category
    several times faster than a million strings. Every stored gender is one (a check constraint)."""
    cases = " ".join(f"WHEN '{gender}' THEN {number}" for number, gender in enumerate(GENDERS))
    return f"CAST(CASE {column} {cases} END AS smallint)"
