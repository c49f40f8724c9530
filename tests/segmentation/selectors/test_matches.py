"""The segment for values typed in and for a customer, stored or placed on the fly
(segmentation.selectors.matches)."""

import pytest
from django.core.exceptions import ValidationError

from segmentation.models import Assignment
from segmentation.selectors.matches import customer_segment_match, values_segment_match
from tests.factories import CustomerFactory, run_now

pytestmark = pytest.mark.django_db


def test_values_are_placed_in_the_segment_the_brief_expects(mall_customers):
    run_now()

    match = values_segment_match(values={"annual_income": 88, "spending_score": 17})

    assert match.placed
    assert match.segment.persona.name == "Cautious Spenders"
    assert [campaign.title for campaign in match.segment.persona.ordered_campaigns()] == [
        "Loyalty programme",
        "Targeted incentives",
    ]


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"annual_income": 88}, "spending_score", "needed"),
        ({"annual_income": -5, "spending_score": 50}, "annual_income", "from 0 to 10,000"),
        ({"annual_income": 50, "spending_score": 101}, "spending_score", "from 1 to 100"),
        ({"annual_income": "lots", "spending_score": 50}, "annual_income", "Enter a number"),
    ],
)
def test_invalid_values_are_refused_at_the_field(blob_customers, values, field, message):
    run_now()

    with pytest.raises(ValidationError) as error:
        values_segment_match(values=values)

    assert message in " ".join(error.value.message_dict[field])


def test_values_need_an_active_run(db):
    with pytest.raises(ValidationError, match="No segmentation is active"):
        values_segment_match(values={"annual_income": 50, "spending_score": 50})


def test_customer_segment_is_its_assignment_in_the_active_run(blob_customers):
    run = run_now()
    customer = Assignment.objects.filter(run=run).first().customer

    match = customer_segment_match(customer=customer)

    assert not match.placed
    assert match.segment == Assignment.objects.get(run=run, customer=customer).segment


def test_customer_added_after_the_run_is_placed_on_the_fly(blob_customers):
    run_now()
    newcomer = CustomerFactory(annual_income=101, spending_score=81)

    match = customer_segment_match(customer=newcomer)

    assert match.placed
    assert match.segment.centroid["annual_income"] > 90 and match.segment.centroid["spending_score"] > 70


def test_no_customer_segment_without_an_active_run(db):
    assert customer_segment_match(customer=CustomerFactory()) is None
