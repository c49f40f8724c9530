"""Customer pages: who may see them, what they show, and that they stay cheap."""

import io
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import MARKETING_GROUP
from core.exceptions import ServiceUnavailable
from customers.models import Customer, CustomerImport, Purchase
from tests.factories import CustomerFactory, UserFactory, imports_run_queued

pytestmark = pytest.mark.django_db

HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


def upload(client, content: str, *, skip_invalid: bool = False):
    file = io.BytesIO(content.encode())
    file.name = "customers.csv"
    data = {"file": file, **({"skip_invalid": "on"} if skip_invalid else {})}
    return client.post(reverse("customers:import"), data)


def portal_urls() -> list[str]:
    customer = CustomerFactory()
    return [
        reverse("segmentation:dashboard"),
        reverse("customers:list"),
        reverse("customers:detail", kwargs={"pk": customer.pk}),
        reverse("customers:import"),
    ]


def test_anonymous_visitor_is_sent_to_login_from_every_portal_page(client):
    for url in portal_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_anonymous_upload_is_sent_to_login_and_writes_nothing(client):
    response = upload(client, HEADER + "1,Female,30,40,50\n")

    assert response.status_code == 302
    assert not Customer.objects.exists()


def test_user_outside_marketing_is_forbidden(client):
    client.force_login(UserFactory())

    assert client.get(reverse("customers:list")).status_code == 403
    assert client.get(reverse("customers:import")).status_code == 403


def test_marketing_user_cannot_reach_admin_or_edit_customers(marketing_client):
    customer = CustomerFactory()
    admin_urls = [
        reverse("admin:index"),
        reverse("admin:customers_customer_changelist"),
        reverse("admin:customers_customer_change", args=[customer.pk]),
        reverse("admin:customers_customer_delete", args=[customer.pk]),
        reverse("admin:customers_customer_import"),
    ]
    for url in admin_urls:
        response = marketing_client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url

    marketing_client.post(reverse("admin:customers_customer_delete", args=[customer.pk]), {"post": "yes"})
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_login_page_logs_a_user_in(client):
    UserFactory(username="ana")

    response = client.post(reverse("login"), {"username": "ana", "password": "correct horse battery staple"})

    assert response.status_code == 302


def test_customer_list_shows_customers(marketing_client):
    CustomerFactory(external_id="A-17", annual_income=88, spending_score=17)

    response = marketing_client.get(reverse("customers:list"))

    assert response.status_code == 200
    assert b"A-17" in response.content


def test_customer_list_searches_by_customer_id(marketing_client):
    CustomerFactory(external_id="A-17")
    CustomerFactory(external_id="B-18")

    page = marketing_client.get(reverse("customers:list"), {"q": "B-18"}).context["page"]

    assert [customer.external_id for customer in page.items] == ["B-18"]


def test_customer_list_filters_by_gender_and_bands(marketing_client):
    CustomerFactory(external_id="young-rich", gender="female", age=22, annual_income=120, spending_score=90)
    CustomerFactory(external_id="young-poor", gender="female", age=22, annual_income=20, spending_score=90)
    CustomerFactory(external_id="old-rich", gender="male", age=70, annual_income=120, spending_score=10)

    filters = {
        "gender": "female",
        "age_band": "under-25",
        "income_band": "100k-plus",
        "spending_band": "high",
    }
    page = marketing_client.get(reverse("customers:list"), filters).context["page"]

    assert [customer.external_id for customer in page.items] == ["young-rich"]


def test_customer_list_pages_forward_and_back(marketing_client):
    CustomerFactory.create_batch(120)
    url = reverse("customers:list")

    response = marketing_client.get(url, {"gender": "female"})
    first = marketing_client.get(url).context["page"]
    second = marketing_client.get(url, {"after": first.next_after}).context["page"]
    back = marketing_client.get(url, {"before": second.previous_before}).context["page"]

    assert len(first.items) == 50 and first.previous_before is None
    assert second.items[0].pk > first.items[-1].pk
    assert [c.pk for c in back.items] == [c.pk for c in first.items]
    assert 'href="?gender=female&amp;after=' in response.content.decode()


def test_customer_list_query_count_does_not_grow_with_customers(marketing_client, django_assert_num_queries):
    CustomerFactory.create_batch(60)
    marketing_client.get(reverse("customers:list"))  # warm the session and permission caches

    with django_assert_num_queries(5):  # session, user, user and group permissions, one page
        marketing_client.get(reverse("customers:list"), {"gender": "female"})


def test_customer_detail_shows_the_attributes(marketing_client):
    customer = CustomerFactory(external_id="C-1", age=33, annual_income=88, spending_score=17)

    response = marketing_client.get(customer.get_absolute_url())

    assert response.status_code == 200
    assert b"Customer C-1" in response.content and b"17 / 100" in response.content


def test_unknown_customer_is_404(marketing_client):
    assert marketing_client.get(reverse("customers:detail", kwargs={"pk": 999_999})).status_code == 404


def imported(client, response):
    """Follow the redirect to the import's page after a worker has run the import."""
    assert response.status_code == 302
    imports_run_queued()
    return client.get(response["Location"])


def test_import_page_queues_the_file_and_its_page_shows_progress_then_the_report(marketing_client):
    response = upload(marketing_client, HEADER + "1,Female,30,40,50\n2,Male,40,60,70\n")

    waiting = marketing_client.get(response["Location"])
    done = imported(marketing_client, response)

    assert b"data-status-url" in waiting.content and b"Waiting for a worker" in waiting.content
    assert done.status_code == 200 and b"data-status-url" not in done.content
    assert done.context["job"].outcome_report.added == 2
    assert Customer.objects.count() == 2


def test_an_imports_status_is_polled_as_json(marketing_client):
    upload(marketing_client, HEADER + "1,Female,30,40,50\n")
    job = CustomerImport.objects.get()

    queued = marketing_client.get(reverse("customers:import-status", args=[job.pk])).json()
    imports_run_queued()
    finished = marketing_client.get(reverse("customers:import-status", args=[job.pk])).json()

    assert (queued["status"], queued["finished"]) == ("queued", False)
    assert (finished["status"], finished["progress"], finished["finished"]) == ("succeeded", 100, True)
    outcome = marketing_client.get(reverse("customers:import-outcome", args=[job.pk]))
    assert b"1 added" in outcome.content


def test_import_page_refuses_a_bad_file_and_lists_each_problem(marketing_client):
    response = upload(marketing_client, HEADER + "1,Female,30,40,50\n2,Robot,40,60,700\n")

    content = imported(marketing_client, response).content.decode()

    assert "nothing imported" in content
    assert "unknown gender" in content and "Robot" in content and "700" in content
    assert not Customer.objects.exists()


def test_import_page_can_skip_invalid_rows(marketing_client):
    response = upload(marketing_client, HEADER + "1,Female,30,40,50\n2,Robot,40,60,70\n", skip_invalid=True)

    assert imported(marketing_client, response).context["job"].outcome_report.skipped == 1
    assert list(Customer.objects.values_list("external_id", flat=True)) == ["1"]


def test_the_import_page_lists_recent_imports_with_their_outcome(marketing_client):
    imported(marketing_client, upload(marketing_client, HEADER + "1,Female,30,40,50\n"))

    page = marketing_client.get(reverse("customers:import")).content.decode()

    assert "Recent imports" in page and "customers.csv" in page and "1 added, 0 updated" in page


def test_a_queued_import_is_cancelled_from_its_page_and_never_runs(marketing_client):
    upload(marketing_client, HEADER + "1,Female,30,40,50\n")
    job = CustomerImport.objects.get()

    response = marketing_client.post(reverse("customers:import-cancel", args=[job.pk]), follow=True)

    assert b"was cancelled; nothing was written" in response.content
    job.refresh_from_db()
    assert job.status == "cancelled" and not job.upload
    assert imports_run_queued() == [] and not Customer.objects.exists()


def test_another_analyst_cannot_cancel_my_import(marketing_client, client):
    upload(marketing_client, HEADER + "1,Female,30,40,50\n")
    job = CustomerImport.objects.get()
    other = UserFactory(username="other")
    other.groups.add(Group.objects.get(name=MARKETING_GROUP))
    client.force_login(other)

    response = client.post(reverse("customers:import-cancel", args=[job.pk]))

    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == "queued"


def test_an_import_beyond_the_per_user_limit_is_refused_on_the_page(marketing_client, settings):
    settings.IMPORTS_IN_PROGRESS_PER_USER = 1
    upload(marketing_client, HEADER + "1,Female,30,40,50\n")

    response = upload(marketing_client, HEADER + "2,Female,30,40,50\n")

    assert response.status_code == 409
    assert "You already have 1 import queued or running" in response.content.decode()
    assert CustomerImport.objects.count() == 1


def test_import_page_escapes_values_from_the_file(marketing_client):
    response = upload(marketing_client, HEADER + "1,<script>alert(1)</script>,30,40,50\n")

    content = imported(marketing_client, response).content

    assert b"<script>alert(1)</script>" not in content
    assert b"&lt;script&gt;" in content


def test_an_import_the_queue_cannot_take_is_refused_on_the_page_saying_why(marketing_client):
    unreachable = "The job queue cannot be reached; try again in a few minutes."
    with mock.patch("customers.views.customer_import_start", side_effect=ServiceUnavailable(unreachable)):
        response = upload(marketing_client, HEADER + "1,Female,30,40,50\n")

    assert response.status_code == 503 and unreachable in response.content.decode()


def test_the_import_page_imports_purchases_with_a_date_format(marketing_client):
    CustomerFactory(external_id="C1")
    file = io.BytesIO(b"CustomerID,InvoiceNo,InvoiceDate,Amount\nC1,R1,03/04/2025,10\n")
    file.name = "receipts.csv"
    response = marketing_client.post(
        reverse("customers:import"), {"file": file, "kind": "purchases", "date_format": "%d/%m/%Y"}
    )

    page = imported(marketing_client, response)

    assert page.context["job"].outcome_report.added == 1 and b"Purchases" in page.content
    assert str(Purchase.objects.get().purchased_at.date()) == "2025-04-03"


def test_a_date_format_without_strftime_codes_is_refused_on_the_page(marketing_client):
    file = io.BytesIO(b"CustomerID,InvoiceNo,InvoiceDate,Amount\n")
    file.name = "receipts.csv"

    response = marketing_client.post(
        reverse("customers:import"), {"file": file, "kind": "purchases", "date_format": "dd/mm/yyyy"}
    )

    assert response.status_code == 400 and "strftime codes" in response.content.decode()
    assert not CustomerImport.objects.exists()
