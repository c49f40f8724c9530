import pytest
from django.db import IntegrityError, transaction

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [("age", 5), ("age", 121), ("annual_income", -1), ("spending_score", 0), ("spending_score", 101),
     ("gender", "robot"), ("external_id", "")],
)  # fmt: skip
def test_database_refuses_values_out_of_range(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(**{field: value})


def test_database_refuses_a_second_customer_with_the_same_id():
    CustomerFactory(external_id="1")

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(external_id="1")
