"""The API's error shape (core.api.errors): every refusal in the same JSON body."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def test_anonymous_requests_get_401_in_the_error_shape(anonymous_api):
    response = anonymous_api.get(URL)

    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "not_authenticated",
                "detail": "Authentication credentials were not provided.",
                "attr": None,
            }
        ],
    }
