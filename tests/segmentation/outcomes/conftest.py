from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from customers.models import Customer
from segmentation.models import Campaign, CampaignOutcome, Segment
from tests.factories import CustomerFactory, UserFactory, run_now, token_client


@pytest.fixture
def two_customers(db):
    """Customers C1 and C2 in the book."""
    return CustomerFactory(external_id="C1"), CustomerFactory(external_id="C2")


@pytest.fixture
def flash_sales(db) -> Campaign:
    """A campaign of the seeded playbook."""
    return Campaign.objects.get(title="Flash sales")


@pytest.fixture
def premium(blob_customers, settings):
    """The active run over four clear groups, and its Premium Shoppers segment (15 customers).
    Ranking needs 5 customers in each group here, so a segment of 15 can be measured."""
    settings.CAMPAIGN_MIN_SENDS = 5
    run = run_now()
    return run.segments.get(persona__name="Premium Shoppers")


def sends(
    customers, campaign: Campaign, *, responded: int, control: bool = False, revenue: str = "10"
) -> None:
    """Record ``campaign`` sent to (or held back from) ``customers`` on one day; the first
    ``responded`` of them responded, each bringing ``revenue``."""
    CampaignOutcome.objects.bulk_create(
        CampaignOutcome(
            customer=customer,
            campaign=campaign,
            sent_on=date(2025, 3, 4),
            control=control,
            responded=index < responded,
            revenue=Decimal(revenue) if index < responded else Decimal(0),
        )
        for index, customer in enumerate(customers)
    )


def members(segment: Segment) -> list[Customer]:
    return [
        assignment.customer
        for assignment in segment.assignments.select_related("customer").order_by("customer_id")
    ]


@pytest.fixture
def api_without_outcomes(db):
    """A user who may read the playbook but not the campaign outcomes."""
    user = UserFactory(username="playbook-reader")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_campaign", "view_persona"], content_type__app_label="segmentation"
        )
    )
    return token_client(user)
