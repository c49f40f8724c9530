import numpy as np
import pytest

from core.bulk import read_ids
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
