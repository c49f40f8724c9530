import numpy as np
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from core import bulk
from core.bulk import TemporaryTable, read_columns, read_ids
from customers.models import Customer

pytestmark = pytest.mark.django_db


def test_read_ids_of_an_empty_table_is_empty():
    ids = read_ids(table=Customer._meta.db_table)
    assert ids.dtype == np.int64
    assert len(ids) == 0


def test_read_ids_gives_every_id_in_order():
    created = Customer.objects.bulk_create(
        Customer(external_id=f"C{number}", gender="female", age=30, annual_income=50, spending_score=50)
        for number in range(1_500)
    )
    Customer.objects.filter(pk__in=[created[10].pk, created[700].pk]).delete()
    expected = sorted(
        customer.pk for customer in created if customer.pk not in (created[10].pk, created[700].pk)
    )
    ids = read_ids(table=Customer._meta.db_table)
    assert ids.dtype == np.int64
    assert ids.tolist() == expected


def _customers(count: int) -> list[Customer]:
    return Customer.objects.bulk_create(
        Customer(
            external_id=f"C{number}",
            gender=("female", "male", "other")[number % 3],
            age=20 + number % 50,
            annual_income=10.5 + number,
            spending_score=1 + number % 100,
        )
        for number in range(count)
    )


def test_read_columns_types_each_column_by_its_kind_in_the_querys_order():
    created = _customers(1_200)
    frame = read_columns(
        query=f"SELECT id, annual_income, age, gender FROM {Customer._meta.db_table} ORDER BY id DESC",
        columns={"id": "bigint", "annual_income": "double", "age": "smallint", "gender": "text"},
    )
    assert frame.dtypes.astype(str).to_dict() == {
        "id": "int64",
        "annual_income": "float64",
        "age": "int64",
        "gender": "str",
    }
    newest = created[-1]
    assert frame.iloc[0].to_dict() == {
        "id": newest.pk,
        "annual_income": newest.annual_income,
        "age": newest.age,
        "gender": newest.gender,
    }
    assert frame["id"].tolist() == sorted((customer.pk for customer in created), reverse=True)
    assert frame["gender"].value_counts().to_dict() == {"female": 400, "male": 400, "other": 400}


def test_read_columns_reads_a_null_double_as_nan_and_a_null_text_as_empty():
    _customers(2)
    frame = read_columns(
        query=f"SELECT id, NULL, NULL FROM {Customer._meta.db_table} ORDER BY id",
        columns={"id": "bigint", "missing_number": "double", "missing_text": "text"},
    )
    assert frame["missing_number"].isna().all()
    assert frame["missing_text"].tolist() == ["", ""]


def test_read_columns_of_no_rows_is_an_empty_typed_frame():
    frame = read_columns(
        query=f"SELECT id, annual_income FROM {Customer._meta.db_table}",
        columns={"id": "bigint", "annual_income": "double"},
    )
    assert len(frame) == 0
    assert frame.dtypes.astype(str).to_dict() == {"id": "int64", "annual_income": "float64"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the aggregated read is PostgreSQL's")
def test_read_columns_refuses_a_column_that_would_lose_rows():
    _customers(3)
    with pytest.raises(ValueError, match="Column age read 2 values for 3 rows"):
        read_columns(
            query=f"SELECT CASE WHEN age = 20 THEN NULL ELSE age END FROM {Customer._meta.db_table}",
            columns={"age": "smallint"},
        )
    with pytest.raises(ValueError, match="must not contain"):
        read_columns(query="SELECT chr(31) UNION ALL SELECT 'x'", columns={"label": "text"})


class Probe(TemporaryTable):
    name = "bulk_probe"
    definition = "number bigint NOT NULL, share double precision NOT NULL, flag boolean NOT NULL"


def test_insert_columns_writes_every_chunk_and_repeats_a_value_given_once(monkeypatch):
    monkeypatch.setattr(bulk, "COPY_CHUNK_ROWS", 2)
    with Probe():
        bulk.insert_columns(
            table=Probe.name,
            rows=5,
            columns={
                "number": ("bigint", np.arange(5)),
                "share": ("double", np.linspace(0, 1, 5)),
                "flag": ("boolean", True),
            },
        )
        stored = read_columns(
            query=f"SELECT number, share, CAST(flag AS integer) FROM {Probe.name} ORDER BY number",
            columns={"number": "bigint", "share": "double", "flag": "bigint"},
        )
    assert stored["number"].tolist() == [0, 1, 2, 3, 4]
    assert stored["share"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert stored["flag"].tolist() == [1] * 5


def test_the_bulk_paths_raise_djangos_database_errors():
    """COPY and the aggregated read talk to psycopg directly; their errors still come as Django's,
    which is how a run tells a dropped connection from a bug."""
    with pytest.raises(DatabaseError), transaction.atomic():
        read_columns(query="SELECT number FROM no_such_table", columns={"number": "bigint"})
    with pytest.raises(DatabaseError), transaction.atomic():
        bulk.read_frame(query="SELECT number FROM no_such_table", columns=["number"])
    with Probe(), pytest.raises(IntegrityError), transaction.atomic():  # share and flag are NOT NULL
        bulk.insert_columns(table=Probe.name, rows=1, columns={"number": ("bigint", np.array([1]))})
