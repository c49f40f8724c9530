"""Custom attributes (customers.models.attributes): declared by an admin, filled by customer imports
from the column of that name or label, checked against their range; undeclared columns are ignored."""

import io

import pytest
from django.core.exceptions import ValidationError

from customers.customer_import import customers_import
from customers.models import CustomerAttribute, CustomerAttributeValue

pytestmark = pytest.mark.django_db
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)"


@pytest.fixture
def visits(db):
    return CustomerAttribute.objects.create(
        name="visits_per_month", label="Visits per month", unit="visits", min_value=0, max_value=100
    )


def imported(text: str, **options):
    return customers_import(file=io.BytesIO(text.encode()), file_name="customers.csv", **options)


def stored() -> dict[str, float]:
    return dict(CustomerAttributeValue.objects.values_list("customer__external_id", "value"))


def test_an_import_fills_a_declared_attribute_from_its_label_and_lists_other_columns(visits):
    report = imported(
        f"{HEADER},Visits per month,Favourite colour\n1,Female,30,40,50,4,red\n2,Male,31,41,51,,blue\n"
    )

    assert not report.rejected and report.attribute_values == 1
    assert stored() == {"1": 4.0}  # a blank cell is no value, never zero
    assert report.ignored_columns == ("Favourite colour",)
    assert "1 attribute value(s) stored" in report.summary()


def test_the_column_may_also_carry_the_attributes_name(visits):
    imported(f"{HEADER},visits_per_month\n1,Female,30,40,50,2.5\n")

    assert stored() == {"1": 2.5}


def test_a_value_out_of_the_attributes_range_refuses_the_file_at_its_cell(visits):
    report = imported(f"{HEADER},Visits per month\n1,Female,30,40,50,4\n2,Male,31,41,51,400\n")

    assert report.rejected and not CustomerAttributeValue.objects.exists()
    [issue] = report.issues
    assert (issue.row, issue.column, issue.value) == (3, "Visits per month", "400")
    assert issue.reason == "out of range: Visits per month must be between 0 and 100"


def test_a_reimport_replaces_values_and_a_blank_cell_removes_one(visits):
    imported(f"{HEADER},Visits per month\n1,Female,30,40,50,4\n2,Male,31,41,51,6\n")

    imported(f"{HEADER},Visits per month\n1,Female,30,40,50,5\n2,Male,31,41,51,\n")

    assert stored() == {"1": 5.0}


def test_a_file_without_the_column_leaves_the_values_alone(visits):
    imported(f"{HEADER},Visits per month\n1,Female,30,40,50,4\n")

    imported(f"{HEADER}\n1,Female,30,40,51\n")

    assert stored() == {"1": 4.0}


def test_the_first_of_repeated_customer_ids_gives_the_value_when_skipping(visits):
    report = imported(
        f"{HEADER},Visits per month\n1,Female,30,40,50,4\n1,Female,30,40,50,9\n", skip_invalid=True
    )

    assert report.skipped == 1 and stored() == {"1": 4.0}


@pytest.mark.parametrize(
    "values, field",
    [
        ({"name": "income", "label": "Earnings"}, "name"),
        ({"name": "earnings", "label": "Spending Score"}, "label"),
        ({"name": "visits", "label": "Visits", "min_value": 5, "max_value": 5}, "max_value"),
        ({"name": "Visits Per Month", "label": "Visits"}, "name"),
    ],
)
def test_an_attribute_that_a_file_could_not_tell_apart_is_refused(values, field):
    attribute = CustomerAttribute(**{"min_value": 0, "max_value": 10, **values})

    with pytest.raises(ValidationError) as refused:
        attribute.full_clean()

    assert field in refused.value.message_dict


def test_attribute_values_show_on_the_customer_page_and_in_the_api(visits, marketing_client, marketing_api):
    imported(f"{HEADER},Visits per month\n1,Female,30,40,50,4\n")
    customer = CustomerAttributeValue.objects.get().customer

    page = marketing_client.get(customer.get_absolute_url()).content.decode()
    api = marketing_api.get(f"/api/v1/customers/{customer.pk}/").json()

    assert "Visits per month" in page and api["attributes"] == {"visits_per_month": 4.0}
