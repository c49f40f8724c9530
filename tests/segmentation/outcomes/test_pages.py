"""The playbook pages: every persona and campaign with its results, a persona's segments with their
campaigns ranked, a campaign's results by segment, and the segment page's ranked campaigns."""

import pytest
from django.urls import reverse

from customers.import_execution import customer_import_run_here
from customers.models import ImportKind
from segmentation.models import Campaign, Persona
from tests.segmentation.outcomes.conftest import members, sends

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured_vip(premium) -> Campaign:
    """VIP membership measured among the Premium Shoppers: 9 of 10 responded, none of 5 held back."""
    customers, vip = members(premium), Campaign.objects.get(title="VIP membership")
    sends(customers[:10], vip, responded=9, revenue="20")
    sends(customers[10:], vip, responded=0, control=True)
    return vip


def test_the_playbook_lists_personas_and_campaigns_with_their_results(marketing_client, measured_vip):
    page = marketing_client.get(reverse("segmentation:playbook")).content.decode()

    assert "Premium Shoppers" in page and "Cautious Spenders" in page
    assert reverse("segmentation:campaign", args=[measured_vip.pk]) in page
    assert "90.0%" in page and "+90.0 pts" in page and "Works" in page  # sent 90%, lift over the held back
    assert "Not sent yet" in page


def test_a_persona_page_ranks_its_campaigns_in_each_of_its_segments(marketing_client, premium, measured_vip):
    persona = Persona.objects.get(name="Premium Shoppers")

    page = marketing_client.get(reverse("segmentation:persona", args=[persona.pk])).content.decode()

    ranked = page[page.index("campaigns ranked for its 15 customers") :]
    assert ranked.index("VIP membership") < ranked.index("Exclusive offers")
    assert "Ranked by measured results: 90% of the 10 customers sent it responded" in page


def test_a_persona_no_segment_earned_says_so(marketing_client, premium):
    persona = Persona.objects.get(name="Loyal Regulars")

    page = marketing_client.get(reverse("segmentation:persona", args=[persona.pk])).content.decode()

    assert "No segment is Loyal Regulars now" in page


def test_a_campaign_page_gives_its_results_by_segment_and_in_total(marketing_client, premium, measured_vip):
    page = marketing_client.get(reverse("segmentation:campaign", args=[measured_vip.pk])).content.decode()

    assert "Results by segment" in page and premium.name in page and "All customers" in page
    assert "18.00" in page  # revenue per send: 9 × 20 over 10 sends
    assert "Premium Shoppers" in page  # the persona recommending it


def test_the_segment_page_lists_its_campaigns_in_ranked_order_saying_why(
    marketing_client, premium, measured_vip
):
    page = marketing_client.get(reverse("segmentation:segment", args=[premium.pk])).content.decode()

    campaigns = page[page.index("Campaigns to run") :]
    assert campaigns.index("VIP membership") < campaigns.index("Exclusive offers")
    assert "Ranked by measured results" in campaigns


def test_the_dashboard_names_the_measured_top_campaign(marketing_client, premium, measured_vip):
    page = marketing_client.get(reverse("segmentation:dashboard")).content.decode()

    assert f'<a href="{reverse("segmentation:campaign", args=[measured_vip.pk])}">VIP membership</a>' in page


@pytest.mark.parametrize("name", ["segmentation:playbook", "segmentation:persona", "segmentation:campaign"])
def test_playbook_pages_need_a_login(client, flash_sales, name):
    url = reverse(name) if name == "segmentation:playbook" else reverse(name, args=[flash_sales.pk])

    assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_campaign_page_needs_the_outcome_permission(client, flash_sales):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))

    assert client.get(reverse("segmentation:campaign", args=[flash_sales.pk])).status_code == 403


def test_a_customer_page_lists_the_campaigns_the_customer_was_sent(
    marketing_client, two_customers, flash_sales
):
    first, _ = two_customers
    sends([first], flash_sales, responded=1, revenue="12.5")

    page = marketing_client.get(first.get_absolute_url()).content.decode()

    panel = page[page.index('id="outcomes-title"') :]
    assert "Flash sales" in panel and "12.50" in panel and "Sent" in panel


def test_a_finished_outcome_import_leads_to_the_playbook(
    marketing_client, two_customers, flash_sales, tmp_path
):
    path = tmp_path / "outcomes.csv"
    path.write_text("CustomerID,Campaign,SentDate,Responded\nC1,Flash sales,2025-03-04,yes\n")
    job = customer_import_run_here(path=path, kind=ImportKind.OUTCOMES)

    page = marketing_client.get(reverse("customers:import-detail", args=[job.pk])).content.decode()

    assert f'href="{reverse("segmentation:playbook")}">See what each campaign achieved</a>' in page
