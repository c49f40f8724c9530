"""Cursor pages of API lists (core.api.pagination): page_size is kept between 1 and 500."""

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def test_page_size_is_kept_between_1_and_500(marketing_api):
    CustomerFactory.create_batch(3)

    assert len(marketing_api.get(URL, {"page_size": 0}).json()["results"]) == 1
    assert len(marketing_api.get(URL, {"page_size": 10**9}).json()["results"]) == 3
