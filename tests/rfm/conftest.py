import pytest

from customers.models import Customer
from rfm.services import rfm_refresh
from tests.factories import CustomerFactory, behaviour_for

# external ID: (recency_days, frequency, monetary). Customers are created in this order, so
# c1 has the smallest id. The scores each gets are worked out in tests/rfm/test_services.py.
TEN_CUSTOMERS = {
    "c1": (5, 12, 900),
    "c2": (10, 1, 30),
    "c3": (200, 8, 500),
    "c4": (10, 3, 120),
    "c5": (365, 1, 15),
    "c6": (90, 5, 260),
    "c7": (10, 2, 75),
    "c8": (150, 3, 140),
    "c9": (300, 6, 410),
    "c10": (2, 1, 45),
}


def give_behaviour(values: dict[str, tuple[int, int, int]]) -> dict[str, Customer]:
    """Customers, in the order given, with these behaviour values (no purchases needed)."""
    customers = {}
    for external_id, (recency_days, frequency, monetary) in values.items():
        customer = CustomerFactory(external_id=external_id)
        behaviour_for(customer, recency_days=recency_days, frequency=frequency, monetary=monetary)
        customers[external_id] = customer
    return customers


@pytest.fixture
def ten_customers(db) -> dict[str, Customer]:
    """The ten customers of TEN_CUSTOMERS, scored."""
    customers = give_behaviour(TEN_CUSTOMERS)
    rfm_refresh()
    return customers
