from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from accounts.roles import MARKETING_GROUP
from customers.customer_import import customers_import
from tests.factories import CustomerFactory, UserFactory, token_client

pytest_plugins = ["tests.celery_worker"]

MALL_CUSTOMERS_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "Mall_Customers.csv"


@pytest.fixture
def mall_csv() -> Path:
    """The classic 200-row Mall Customers file, a known answer; skips where it is absent."""
    if not MALL_CUSTOMERS_CSV.exists():
        pytest.skip(f"{MALL_CUSTOMERS_CSV} is not present on this machine")
    return MALL_CUSTOMERS_CSV


@pytest.fixture
def marketing_user(db):
    user = UserFactory(username="marketing")
    user.groups.add(Group.objects.get(name=MARKETING_GROUP))
    return user


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def marketing_client(client, marketing_user):
    client.force_login(marketing_user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def marketing_api(marketing_user):
    return token_client(marketing_user)


@pytest.fixture
def staff_api(staff_user):
    return token_client(staff_user)


@pytest.fixture
def mall_customers(db, mall_csv):
    with mall_csv.open("rb") as file:
        customers_import(file=file, file_name=mall_csv.name)


@pytest.fixture
def blob_customers(db):
    """Four clear groups of customers, income × spending, 15 each."""
    centres = [(20, 20), (20, 80), (100, 20), (100, 80)]
    for income, spending in centres:
        for offset in range(15):
            CustomerFactory(
                annual_income=income + offset % 5, spending_score=spending + offset // 5, age=20 + offset
            )
