"""Portal pages of segmentation: access, content, live-progress endpoints, export, predict."""

import csv
import io
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.template.loader import render_to_string
from django.urls import reverse

from core.exceptions import ServiceUnavailable
from customers.models import Customer
from segmentation.models import SegmentationRun
from segmentation.services.placement import segmentation_place_new_customers
from segmentation.services.runs import segmentation_run_start
from tests.factories import CustomerFactory, UserFactory, run_now

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status

QUEUE_UNREACHABLE = "The job queue cannot be reached; try again in a few minutes."


def page_urls(run: SegmentationRun) -> list[str]:
    segment = run.segments.first()
    return [
        reverse("segmentation:dashboard"),
        reverse("segmentation:runs"),
        reverse("segmentation:run", args=[run.pk]),
        reverse("segmentation:run-status", args=[run.pk]),
        reverse("segmentation:run-results", args=[run.pk]),
        reverse("segmentation:segments"),
        reverse("segmentation:segment", args=[segment.pk]),
        reverse("segmentation:segment-export", args=[segment.pk]),
        reverse("segmentation:predict"),
    ]


def test_anonymous_visitor_is_sent_to_login_from_every_segmentation_page(client, blob_customers):
    run = run_now()
    for url in page_urls(run):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    for action in ("run-activate", "run-cancel"):
        response = client.post(reverse(f"segmentation:{action}", args=[run.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_user_without_a_role_gets_the_friendly_403_page(client, blob_customers):
    run = run_now()
    client.force_login(UserFactory())

    for url in page_urls(run):
        response = client.get(url)
        assert response.status_code == 403, url
    assert "You are not allowed to see this page" in response.content.decode()


def test_unknown_page_gets_the_friendly_404_page(marketing_client):
    response = marketing_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_dashboard_without_a_run_offers_to_start_one(marketing_client):
    content = marketing_client.get(reverse("segmentation:dashboard")).content.decode()

    assert "No segmentation yet" in content and "Start the first run" in content


def test_dashboard_shows_segment_cards_and_chart_data(marketing_client, mall_customers):
    run_now()

    response = marketing_client.get(reverse("segmentation:dashboard"))

    content = response.content.decode()
    for persona in ("Premium Shoppers", "Cautious Spenders", "Impulse Buyers", "Minimal Shoppers"):
        assert persona in content
    assert 'id="dashboard-charts"' in content and "the curve bends at K=5" in content
    assert response.context["chart_data"]["k"] == 5
    assert len(response.context["chart_data"]["sample"]["rows"]) == 200


def test_dashboard_queries_do_not_grow_with_customers_or_segments(
    marketing_client, blob_customers, django_assert_max_num_queries
):
    run_now()
    marketing_client.get(reverse("segmentation:dashboard"))

    with django_assert_max_num_queries(10):  # two check the campaigns' cached measured results
        marketing_client.get(reverse("segmentation:dashboard"))


def test_starting_a_run_from_the_form_queues_it_and_opens_its_page(
    marketing_client, marketing_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = marketing_client.post(
            reverse("segmentation:runs"),
            {"features": ["annual_income", "age"], "k_mode": "fixed", "k": 4, "scaling": "minmax", "seed": 7},
        )

    run = SegmentationRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("segmentation:run", args=[run.pk])
    assert (run.features, run.requested_k, run.scaling, run.seed) == (
        ["annual_income", "age"],
        4,
        "minmax",
        7,
    )
    assert run.started_by == marketing_user and run.status == Status.QUEUED
    assert len(callbacks) == 1


def test_the_run_form_offers_the_k_range_the_api_offers(marketing_client, django_capture_on_commit_callbacks):
    page = marketing_client.get(reverse("segmentation:runs")).content.decode()
    with django_capture_on_commit_callbacks():
        marketing_client.post(
            reverse("segmentation:runs"),
            {"features": ["annual_income"], "k_mode": "auto", "k_min": 3, "k_max": 12, "scaling": "standard",
             "seed": 42},
        )  # fmt: skip

    assert 'name="k_min"' in page and 'max="49"' in page and 'name="k_max"' in page and 'max="50"' in page
    run = SegmentationRun.objects.get()
    assert (run.requested_k, run.k_min, run.k_max) == (None, 3, 12)


def test_a_crossed_k_range_on_the_form_is_refused_and_nothing_is_queued(marketing_client):
    response = marketing_client.post(
        reverse("segmentation:runs"),
        {"features": ["annual_income"], "k_mode": "auto", "k_min": 9, "k_max": 4, "scaling": "standard",
         "seed": 1},
    )  # fmt: skip

    assert response.status_code == 400
    assert "The K range must be two whole numbers from 2 to 50" in response.content.decode()
    assert not SegmentationRun.objects.exists()


@pytest.mark.parametrize(
    "form, field",
    [
        ({"k_mode": "auto", "scaling": "standard", "seed": 1}, "features"),
        ({"features": ["age"], "k_mode": "fixed", "scaling": "standard", "seed": 1}, "k"),
        ({"features": ["age"], "k_mode": "auto", "scaling": "cubic", "seed": 1}, "scaling"),
        ({"features": ["age"], "k_mode": "auto", "scaling": "standard", "seed": -1}, "seed"),
    ],
)
def test_run_form_refuses_bad_input_at_the_field(marketing_client, form, field):
    response = marketing_client.post(reverse("segmentation:runs"), form)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SegmentationRun.objects.exists()


def test_user_who_may_only_view_cannot_start_a_run(client):
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_segmentationrun"))
    client.force_login(viewer)

    response = client.post(reverse("segmentation:runs"), {"features": ["age"], "k_mode": "auto", "seed": 1})

    assert response.status_code == 403


def test_queued_run_page_shows_a_progress_bar_that_polls_the_status(marketing_client, marketing_user):
    run = segmentation_run_start(started_by=marketing_user, features=["age"], enqueue=False)

    content = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()

    assert 'role="progressbar"' in content
    assert reverse("segmentation:run-status", args=[run.pk]) in content
    assert "Cancel run" in content


def test_status_endpoint_reports_progress_as_json(marketing_client, marketing_user):
    run = segmentation_run_start(started_by=marketing_user, features=["age"], enqueue=False)
    SegmentationRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING, progress=40, step="Tried K=4, 3 of 9"
    )

    data = marketing_client.get(reverse("segmentation:run-status", args=[run.pk])).json()

    assert data == {
        "status": "running",
        "statusLabel": "Running",
        "progress": 40,
        "step": "Tried K=4, 3 of 9",
        "finished": False,
        "error": "",
    }


def test_failed_run_shows_its_error_in_plain_words(marketing_client):
    run = run_now()

    content = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()

    assert "This run failed" in content and "There are no customers to segment." in content


def test_make_active_button_switches_the_active_run(marketing_client, blob_customers):
    run_now(k=4)
    second = run_now(k=3)

    page = marketing_client.get(reverse("segmentation:run", args=[second.pk])).content.decode()
    response = marketing_client.post(reverse("segmentation:run-activate", args=[second.pk]), follow=True)

    assert "Make active" in page
    assert SegmentationRun.objects.active() == second
    assert "is now the active segmentation" in response.content.decode()


def test_another_analyst_cannot_cancel_my_run(client, marketing_user):
    run = segmentation_run_start(started_by=marketing_user, features=["age"], enqueue=False)
    other = UserFactory()
    other.groups.set(marketing_user.groups.all())
    client.force_login(other)

    response = client.post(reverse("segmentation:run-cancel", args=[run.pk]))

    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == Status.QUEUED


def test_segment_page_shows_profile_campaigns_and_members(marketing_client, mall_customers):
    run = run_now()
    segment = run.segments.get(persona__name="Cautious Spenders")

    response = marketing_client.get(reverse("segmentation:segment", args=[segment.pk]))

    content = response.content.decode()
    assert "Loyalty programme" in content and "Targeted incentives" in content
    assert [row["level"] for row in response.context["profile"]] == ["high", "low"]
    assert len(response.context["members"].items) == segment.size
    assert "Export audience" in content


def test_segment_members_are_paginated(marketing_client):
    CustomerFactory.create_batch(130)
    segment = run_now(k=2).segments.get(number=0)  # the larger half: at least 65 members
    url = reverse("segmentation:segment", args=[segment.pk])

    first = marketing_client.get(url).context["members"]
    second = marketing_client.get(url, {"after": first.next_after}).context["members"]

    assert len(first.items) == 50 and first.previous_before is None
    assert len(second.items) == segment.size - 50
    assert second.previous_before == second.items[0].customer_id
    assert second.items[0].customer_id > first.items[-1].customer_id


def test_segment_page_queries_do_not_grow_with_members(
    marketing_client, blob_customers, django_assert_max_num_queries
):
    segment = run_now(k=2).segments.first()
    marketing_client.get(reverse("segmentation:segment", args=[segment.pk]))

    with django_assert_max_num_queries(9):
        marketing_client.get(reverse("segmentation:segment", args=[segment.pk]))


def test_audience_export_is_a_csv_of_the_members_with_formulas_neutralised(marketing_client, blob_customers):
    run = run_now(k=4)
    customer = CustomerFactory(external_id='=HYPERLINK("http://evil")', annual_income=21, spending_score=21)

    segmentation_place_new_customers()
    segment = run.assignments.get(customer=customer).segment

    response = marketing_client.get(reverse("segmentation:segment-export", args=[segment.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "customer_id",
        "gender",
        "age",
        "annual_income",
        "spending_score",
        "segment",
        "persona",
        "placed",
    ]
    assert len(rows) == 1 + segment.assignments.count()
    evil = next(row for row in rows if "HYPERLINK" in row[0])
    assert evil[0].startswith("'=") and evil[-1] == "True"


def test_predict_places_a_shopper_draws_the_point_and_says_why(marketing_client, mall_customers):
    run_now()

    response = marketing_client.get(
        reverse("segmentation:predict"), {"annual_income": 88, "spending_score": 17}
    )

    assert response.status_code == 200
    assert response.context["match"].segment.persona.name == "Cautious Spenders"
    assert response.context["chart_data"]["point"] == {"annual_income": 88.0, "spending_score": 17}
    content = response.content.decode()
    assert "Loyalty programme" in content
    assert "Income 88k$ is in the top 15% of customers, spending score 17 in the bottom" in content


@pytest.mark.parametrize(
    "query, field",
    [
        ({"annual_income": 88, "spending_score": 170}, "spending_score"),
        ({"annual_income": "x"}, "annual_income"),
    ],
)
def test_predict_shows_bad_input_at_the_field(marketing_client, blob_customers, query, field):
    run_now()

    response = marketing_client.get(reverse("segmentation:predict"), query)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "match" not in response.context


def test_predict_without_a_run_says_so(marketing_client):
    assert (
        "Predictions need an active segmentation"
        in marketing_client.get(reverse("segmentation:predict")).content.decode()
    )


def test_customer_page_recommends_campaigns_with_reasons_from_its_values(marketing_client, mall_customers):
    run = run_now()
    customer = Customer.objects.get(external_id="200")  # income 137k$, spending score 83

    response = marketing_client.get(customer.get_absolute_url())

    advice = response.context["advice"]
    assert advice.match.run == run
    reasons = [recommendation.reason for recommendation in advice.recommendations]
    assert reasons[0] in response.content.decode()
    assert reasons[0].startswith(
        "Income 137k$ is in the top 5% of customers, spending score 83 in the top 15%: "
        "one of the Premium Shoppers."
    )
    assert "Offer exclusive offers:" in reasons[0]
    assert len(reasons) == 3


def test_customer_page_says_when_a_customer_was_placed(marketing_client, blob_customers):
    run_now()
    newcomer = CustomerFactory(annual_income=100, spending_score=80)

    content = marketing_client.get(newcomer.get_absolute_url()).content.decode()

    assert "placed in the nearest segment" in content


def test_server_error_page_renders_without_a_request_context():
    content = render_to_string("500.html")

    assert "Something went wrong on our side" in content


def test_run_list_queries_do_not_grow_with_runs(
    marketing_client, blob_customers, django_assert_max_num_queries
):
    for k in (2, 3, 4):
        run_now(k=k)
    marketing_client.get(reverse("segmentation:runs"))

    with django_assert_max_num_queries(8):
        marketing_client.get(reverse("segmentation:runs"))


def test_customer_page_queries_stay_few(marketing_client, mall_customers, django_assert_max_num_queries):
    run_now()
    run_now()  # the segment history panel reads every run in one query
    customer = Customer.objects.first()
    marketing_client.get(customer.get_absolute_url())

    with django_assert_max_num_queries(18):  # predictions panel 2, campaign results 2, campaigns panel 1
        marketing_client.get(customer.get_absolute_url())


def test_starting_a_run_while_the_job_queue_is_down_says_so_on_the_form(marketing_client):
    with mock.patch(
        "segmentation.views.segmentation_run_start", side_effect=ServiceUnavailable(QUEUE_UNREACHABLE)
    ):
        response = marketing_client.post(
            reverse("segmentation:runs"),
            {"features": ["annual_income"], "k_mode": "auto", "scaling": "standard", "seed": 42},
        )

    assert response.status_code == 503
    assert "The job queue cannot be reached" in response.content.decode()


def test_a_run_started_from_the_command_line_offers_marketing_the_cancel_button(marketing_client):
    run = segmentation_run_start(started_by=None, features=["annual_income"], enqueue=False)

    page = marketing_client.get(reverse("segmentation:run", args=[run.pk])).content.decode()

    assert "Cancel run" in page
