import pytest

from segmentation.models import Campaign
from tests.factories import CustomerFactory


@pytest.fixture
def two_customers(db):
    """Customers C1 and C2 in the book."""
    return CustomerFactory(external_id="C1"), CustomerFactory(external_id="C2")


@pytest.fixture
def flash_sales(db) -> Campaign:
    """A campaign of the seeded playbook."""
    return Campaign.objects.get(title="Flash sales")
