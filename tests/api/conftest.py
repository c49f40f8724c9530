import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
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
