"""Keyset pages of the portal (core.pagination): a cursor that is not a small whole number means none."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cursor", ["²", "99999999999999999999999", "-3", "1e5", "٣"])
def test_a_customer_list_cursor_that_is_not_an_id_shows_the_first_page(marketing_client, cursor):
    first = CustomerFactory()

    response = marketing_client.get(reverse("customers:list"), {"after": cursor})

    assert response.status_code == 200 and first.external_id in response.content.decode()


def test_a_huge_member_cursor_on_a_segment_page_is_ignored(marketing_client, blob_customers):
    segment = run_now(k=4).segments.get(number=0)

    response = marketing_client.get(
        reverse("segmentation:segment", args=[segment.pk]), {"after": "99999999999999999999999"}
    )

    assert response.status_code == 200
