"""The customer book's API (customers.api): customer list, filters, reads and staff writes,
and file imports."""

import io
from unittest import mock

import pytest

from core.exceptions import ServiceUnavailable
from customers.models import Customer, Purchase
from tests.factories import CustomerFactory, UserFactory, behaviour_for, imports_run_queued, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def errors(response) -> dict:
    return {error["attr"]: error["detail"] for error in response.json()["errors"]}


def test_marketing_lists_customers_with_cursor_pages(marketing_api):
    CustomerFactory.create_batch(7)

    first = marketing_api.get(URL, {"page_size": 5}).json()
    second = marketing_api.get(first["next"]).json()

    assert len(first["results"]) == 5 and len(second["results"]) == 2
    assert first["results"][0]["id"] < second["results"][0]["id"]


def test_customers_filter_by_gender_ranges_and_customer_id(marketing_api):
    CustomerFactory(external_id="a", gender="female", age=30, annual_income=90, spending_score=10)
    CustomerFactory(external_id="b", gender="female", age=60, annual_income=90, spending_score=10)
    CustomerFactory(external_id="c", gender="male", age=30, annual_income=20, spending_score=90)

    def ids(**query):
        return [row["external_id"] for row in marketing_api.get(URL, query).json()["results"]]

    assert ids(gender="female", age_max=40) == ["a"]
    assert ids(income_min=50, spending_max=20) == ["a", "b"]
    assert ids(external_id="c") == ["c"]


def test_bad_filter_value_is_a_400_naming_the_field(marketing_api):
    response = marketing_api.get(URL, {"gender": "robot"})

    assert response.status_code == 400
    assert "gender" in errors(response)


def test_unknown_customer_is_404(marketing_api):
    assert marketing_api.get(f"{URL}999999/").status_code == 404


def test_marketing_cannot_write_customers(marketing_api):
    customer = CustomerFactory()

    assert marketing_api.post(URL, {"external_id": "x"}).status_code == 403
    assert marketing_api.patch(f"{URL}{customer.pk}/", {"age": 40}).status_code == 403
    assert marketing_api.delete(f"{URL}{customer.pk}/").status_code == 403


def test_staff_create_update_and_delete_a_customer(staff_api):
    created = staff_api.post(
        URL, {"external_id": "N1", "gender": "female", "age": 33, "annual_income": 55.5, "spending_score": 60}
    )
    customer_url = f"{URL}{created.json()['id']}/"
    updated = staff_api.patch(customer_url, {"spending_score": 70})
    deleted = staff_api.delete(customer_url)

    assert created.status_code == 201 and updated.json()["spending_score"] == 70
    assert deleted.status_code == 204 and not Customer.objects.exists()


VALID = {"external_id": "N1", "gender": "male", "age": 33, "annual_income": 50, "spending_score": 60}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"gender": "robot"}, "gender"),
        ({"age": 3}, "age"),
        ({"annual_income": -1}, "annual_income"),
        ({"spending_score": 101}, "spending_score"),
        ({"external_id": None}, "external_id"),
        ({"external_id": "DUP", "age": 3}, "external_id"),
    ],
)
def test_staff_writes_are_validated_with_field_messages(staff_api, changes, field):
    CustomerFactory(external_id="DUP")
    body = {key: value for key, value in {**VALID, **changes}.items() if value is not None}

    response = staff_api.post(URL, body)

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert field in errors(response)
    assert Customer.objects.count() == 1


def test_a_taken_customer_id_is_a_409_naming_the_field(staff_api):
    CustomerFactory(external_id="DUP")
    other = CustomerFactory(external_id="OTHER")

    created = staff_api.post(URL, {**VALID, "external_id": "DUP"})
    renamed = staff_api.patch(f"{URL}{other.pk}/", {"external_id": "DUP"})

    for response in (created, renamed):
        assert response.status_code == 409
        [error] = response.json()["errors"]
        assert (error["code"], error["attr"]) == ("unique", "external_id")
    assert set(Customer.objects.values_list("external_id", flat=True)) == {"DUP", "OTHER"}


# IMPORTS


HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


def upload(client, text: str, **extra):
    file = io.BytesIO(text.encode())
    file.name = "customers.csv"
    return client.post("/api/v1/imports/", {"file": file, **extra}, format="multipart")


def imported(client, response) -> dict:
    """Let a worker run the queued import, then read it back as the client would."""
    imports_run_queued()
    return client.get(response["Location"]).json()


def test_an_import_is_accepted_with_its_url_and_done_by_a_worker(marketing_api):
    response = upload(marketing_api, HEADER + "1,Female,30,40,50\n2,Male,31,41,51\n")

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["report"], response["Location"]) == ("queued", None, body["url"])
    assert not Customer.objects.exists()
    done = imported(marketing_api, response)
    assert (done["status"], done["progress"], done["report"]["added"]) == ("succeeded", 100, 2)
    assert Customer.objects.count() == 2


def test_a_refused_import_fails_listing_every_problem_and_writes_nothing(marketing_api):
    response = upload(marketing_api, HEADER + "1,Robot,30,40,50\n2,Male,31,41,500\n")

    done = imported(marketing_api, response)

    assert done["status"] == "failed" and done["error"].startswith("customers.csv: nothing imported.")
    issues = [(issue["row"], issue["column"], issue["value"]) for issue in done["report"]["issues"]]
    assert issues == [(2, "Gender", "Robot"), (3, "Spending Score (1-100)", "500")]
    assert not Customer.objects.exists()


def test_import_can_skip_invalid_rows(marketing_api):
    response = upload(marketing_api, HEADER + "1,Robot,30,40,50\n2,Male,31,41,51\n", skip_invalid="true")

    assert imported(marketing_api, response)["report"]["skipped"] == 1


def test_imports_are_listed_in_id_order(marketing_api):
    for _ in range(2):
        upload(marketing_api, HEADER + "1,Female,30,40,50\n")

    listed = marketing_api.get("/api/v1/imports/").json()["results"]

    assert [job["status"] for job in listed] == ["queued", "queued"] and listed[0]["id"] < listed[1]["id"]


def test_a_queued_import_can_be_cancelled_and_never_runs(marketing_api):
    response = upload(marketing_api, HEADER + "1,Female,30,40,50\n")

    cancelled = marketing_api.post(f"{response['Location']}cancel/")
    imports_run_queued()

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert marketing_api.post(f"{response['Location']}cancel/").status_code == 409
    assert not Customer.objects.exists()


def test_an_import_beyond_the_per_user_limit_is_a_409(marketing_api, settings):
    settings.IMPORTS_IN_PROGRESS_PER_USER = 1
    upload(marketing_api, HEADER + "1,Female,30,40,50\n")

    response = upload(marketing_api, HEADER + "2,Female,30,40,50\n")

    assert response.status_code == 409
    assert "You already have 1 import queued or running" in response.json()["errors"][0]["detail"]


def test_import_without_a_file_is_a_400(marketing_api):
    response = marketing_api.post("/api/v1/imports/", {}, format="multipart")

    assert response.status_code == 400 and "file" in errors(response)


def test_import_needs_the_import_permission():
    response = upload(token_client(UserFactory()), HEADER + "1,Female,30,40,50\n")

    assert response.status_code == 403


def test_a_file_that_is_not_a_customer_file_fails_saying_so(marketing_api):
    file = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")
    file.name = "photo.png"

    response = marketing_api.post("/api/v1/imports/", {"file": file}, format="multipart")

    done = imported(marketing_api, response)
    assert done["status"] == "failed"
    assert done["report"]["issues"][0]["reason"] == "This is a binary file, not a CSV or XLSX file."
    assert not Customer.objects.exists()


def test_an_import_the_queue_cannot_take_is_a_503_in_the_error_shape(marketing_api):
    unreachable = "The job queue cannot be reached; try again in a few minutes."
    marketing_api.raise_request_exception = False  # a 5xx is reported as an exception, and answered
    with mock.patch("customers.api.customer_import_start", side_effect=ServiceUnavailable(unreachable)):
        response = upload(marketing_api, HEADER + "1,Female,30,40,50\n")

    assert response.status_code == 503
    assert response.json()["errors"] == [{"code": "service_unavailable", "detail": unreachable, "attr": None}]


@pytest.mark.parametrize("value", ["0", "1", "yes", "on", "True "])
def test_skip_invalid_takes_only_true_or_false(marketing_api, value):
    response = upload(marketing_api, HEADER + "1,Female,30,40,50\n", skip_invalid=value)

    assert response.status_code == 400 and "skip_invalid" in errors(response)


def test_purchases_are_imported_through_the_api(marketing_api):
    CustomerFactory(external_id="C1")
    file = io.BytesIO(b"CustomerID,InvoiceNo,InvoiceDate,Amount\nC1,R1,03/04/2025,10\n")
    file.name = "receipts.csv"
    response = marketing_api.post(
        "/api/v1/imports/", {"file": file, "kind": "purchases", "date_format": "%m/%d/%Y"}, format="multipart"
    )

    done = imported(marketing_api, response)

    assert (done["kind"], done["date_format"], done["report"]["added"]) == ("purchases", "%m/%d/%Y", 1)
    assert str(Purchase.objects.get().purchased_at.date()) == "2025-03-04"


def test_a_customer_carries_their_behaviour_or_null(marketing_api):
    shopper, newcomer = CustomerFactory(), CustomerFactory()
    behaviour_for(shopper, recency_days=12, frequency=4, monetary=321)

    listed = {row["id"]: row for row in marketing_api.get(URL).json()["results"]}

    assert listed[newcomer.pk]["behaviour"] is None
    behaviour = listed[shopper.pk]["behaviour"]
    assert (behaviour["recency_days"], behaviour["frequency"], behaviour["monetary"]) == (12, 4, "321.00")


def test_a_customers_purchase_lines_come_a_page_at_a_time(marketing_api):
    customer = CustomerFactory(external_id="C1")
    for number in range(3):
        Purchase.objects.create(
            customer=customer,
            purchase_id=f"R{number}",
            line=1,
            purchased_at="2025-03-04T10:00:00Z",
            amount=10,
        )

    first = marketing_api.get(f"{URL}{customer.pk}/purchases/", {"page_size": 2}).json()
    second = marketing_api.get(first["next"]).json()

    assert [line["purchase_id"] for line in first["results"] + second["results"]] == ["R0", "R1", "R2"]
    assert second["next"] is None
