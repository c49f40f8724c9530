"""Cursor pages of API lists (core.api.pagination): page_size kept between 1 and 500, cursors checked."""

import base64

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def test_page_size_is_kept_between_1_and_500(marketing_api):
    CustomerFactory.create_batch(3)

    assert len(marketing_api.get(URL, {"page_size": 0}).json()["results"]) == 1
    assert len(marketing_api.get(URL, {"page_size": 10**9}).json()["results"]) == 3


@pytest.mark.parametrize("position", ["1e5", "-1", "99999999999999999999999", "x"])
def test_a_cursor_whose_position_is_not_an_id_is_an_invalid_cursor(marketing_api, position):
    CustomerFactory.create_batch(2)
    cursor = base64.b64encode(f"p={position}".encode()).decode()

    response = marketing_api.get(URL, {"cursor": cursor})

    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "Invalid cursor"
