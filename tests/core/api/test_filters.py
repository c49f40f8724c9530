"""Strict query-string values (core.api.filters): malformed values are a 400 naming the
parameter (page_size, read by core.api.pagination, included), and huge numbers are clamped
rather than refused, on the customer list."""

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


@pytest.mark.parametrize(
    "query",
    [
        {"page_size": "null"},
        {"page_size": "2.5"},
        {"page_size": ""},
        {"age_max": "0.0"},
        {"segment": "1.5"},
        {"segment": ""},
        {"income_min": ""},
        {"gender": ""},
    ],
)
def test_malformed_query_values_are_a_400(marketing_api, query):
    response = marketing_api.get(URL, query)

    assert response.status_code == 400
    assert list(query) == [error["attr"] for error in response.json()["errors"]]


def test_huge_filter_values_are_answered_not_refused(marketing_api):
    CustomerFactory(age=40, annual_income=50)

    huge = {"age_min": -(10**30), "income_max": 1e300, "segment": 10**40}

    assert marketing_api.get(URL, {k: v for k, v in huge.items() if k != "segment"}).json()["results"]
    assert marketing_api.get(URL, huge).json()["results"] == []
