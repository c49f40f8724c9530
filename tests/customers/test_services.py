import pytest
from django.core.exceptions import ValidationError

from customers.models import Customer
from customers.services import customer_create, customer_update
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

VALUES = {"external_id": "N1", "gender": "female", "age": 30, "annual_income": 40.0, "spending_score": 50}


def test_create_and_update_validate_the_whole_customer():
    customer = customer_create(**VALUES)

    with pytest.raises(ValidationError) as refused:
        customer_update(customer=customer, age=5)

    assert "age" in refused.value.message_dict
    customer.refresh_from_db()
    assert customer.age == 30


def test_an_id_taken_between_the_check_and_the_write_is_refused_like_the_check(monkeypatch):
    """Two requests may pass the uniqueness check together; the database refuses the second."""
    CustomerFactory(external_id="N1")
    monkeypatch.setattr(Customer, "validate_constraints", lambda self, exclude=None: None)

    with pytest.raises(ValidationError) as refused:
        customer_create(**VALUES)

    [error] = refused.value.error_dict["external_id"]
    assert error.code == "unique"
    assert Customer.objects.count() == 1
