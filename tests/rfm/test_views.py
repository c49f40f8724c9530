"""The RFM pages: the R × F grid, members of a segment or a cell with their CSV export, who may see
them, and the RFM panel of the customer page."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import CustomerBehaviour, Purchase
from rfm.models import CustomerRfm, RfmSegment
from rfm.services import rfm_refresh
from rfm.views import MEMBERS_PER_PAGE
from tests.factories import CustomerFactory, UserFactory, behaviour_for
from tests.rfm.conftest import TEN_CUSTOMERS

pytestmark = pytest.mark.django_db
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = ",;|\t\r\n"
HOSTILE_IDS = ['=HYPERLINK("http://evil")', "x;=cmd|' /C calc'!A0;", "a\t=1+1", "b,@SUM(A1)", "-3", "+2"]


def segment_id(name: str) -> int:
    return RfmSegment.objects.get(name=name).pk


PAGES = [
    reverse("rfm:overview"),
    reverse("rfm:cell", args=[5, 5]),
    reverse("rfm:cell-export", args=[5, 5]),
]


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in [*PAGES, reverse("rfm:segment", args=[1]), reverse("rfm:segment-export", args=[1])]:
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    champions = segment_id("Champions")
    segment_pages = [
        reverse("rfm:segment", args=[champions]),
        reverse("rfm:segment-export", args=[champions]),
    ]

    for url in [*PAGES, *segment_pages]:
        assert client.get(url).status_code == 403


def test_the_grid_counts_customers_and_revenue_per_cell(marketing_client, ten_customers):
    response = marketing_client.get(reverse("rfm:overview"))

    overview = response.context["overview"]
    cells = {(cell.recency_score, cell.frequency_score): cell for row in overview.grid for cell in row}
    assert [row[0].recency_score for row in overview.grid] == [5, 4, 3, 2, 1]
    assert [cell.frequency_score for cell in overview.grid[0]] == [1, 2, 3, 4, 5]
    assert (cells[(4, 2)].customers, cells[(4, 2)].revenue) == (1, Decimal("30.00"))  # c2
    assert (cells[(2, 3)].customers, cells[(2, 3)].revenue) == (1, Decimal("140.00"))  # c8
    assert cells[(2, 3)].segment.name == "At Risk"
    assert cells[(1, 2)].customers == 0 and cells[(1, 2)].segment.name == "Hibernating"
    assert overview.customers == 10
    assert overview.revenue == sum(Decimal(monetary) for *_, monetary in TEN_CUSTOMERS.values())


def test_the_legend_gives_each_segments_customers_and_revenue_share(marketing_client, ten_customers):
    response = marketing_client.get(reverse("rfm:overview"))

    totals = {total.segment.name: total for total in response.context["overview"].segments}
    assert len(totals) == 11
    assert (totals["At Risk"].customers, totals["At Risk"].revenue) == (2, Decimal("640.00"))  # c3, c8
    assert totals["At Risk"].customer_share == pytest.approx(0.2)
    assert totals["At Risk"].revenue_share == pytest.approx(640 / 2495)  # all ten spent 2,495
    assert totals["Promising"].customers == 0
    content = response.content.decode()
    assert 'href="{}"'.format(reverse("rfm:segment", args=[segment_id("At Risk")])) in content
    assert 'href="{}"'.format(reverse("rfm:cell", args=[5, 1])) in content


def test_a_cell_the_rules_split_by_m_shows_the_segment_most_of_its_customers_are_in(
    marketing_client, ten_customers
):
    RfmSegment.objects.filter(name="Champions").update(monetary_min=5)
    rfm_refresh()

    response = marketing_client.get(reverse("rfm:overview"))

    grid = response.context["overview"].grid
    top_right, top_left = grid[0][4], grid[0][0]  # R5 F5 (c1, M5: Champions), R5 F1
    assert (top_right.split_by_monetary, top_right.segment.name) == (True, "Champions")
    assert (top_left.split_by_monetary, top_left.segment.name) == (False, "New Customers")
    assert "The rules also look at the monetary score" in response.content.decode()


def test_without_purchases_the_page_says_to_import_them(marketing_client):
    response = marketing_client.get(reverse("rfm:overview"))

    assert response.status_code == 200
    assert "Import purchases to see RFM" in response.content.decode()


def test_behaviour_not_yet_scored_says_how_to_score_it(marketing_client):
    behaviour_for(CustomerFactory())

    response = marketing_client.get(reverse("rfm:overview"))

    assert "refresh_rfm" in response.content.decode()


def test_a_segment_page_lists_its_members_with_their_values(marketing_client, ten_customers):
    response = marketing_client.get(reverse("rfm:segment", args=[segment_id("At Risk")]))

    members = response.context["members"].items
    assert [member.customer.external_id for member in members] == ["c3", "c8"]
    assert (response.context["customers"], response.context["revenue"]) == (2, Decimal("640.00"))
    content = response.content.decode()
    assert "Export customers (CSV)" in content
    assert ten_customers["c3"].get_absolute_url() in content


def test_a_cell_page_lists_the_customers_with_those_scores(marketing_client, ten_customers):
    response = marketing_client.get(reverse("rfm:cell", args=[4, 2]))

    assert [member.customer.external_id for member in response.context["members"].items] == ["c2"]
    assert [segment.name for segment in response.context["cell_segments"]] == ["Potential Loyalists"]


def test_scores_outside_1_to_5_are_not_a_cell(marketing_client):
    assert marketing_client.get("/rfm/cells/6/1/").status_code == 404
    assert marketing_client.get("/rfm/cells/0/1/").status_code == 404


def test_members_come_fifty_a_page(marketing_client):
    for number in range(MEMBERS_PER_PAGE + 10):
        behaviour_for(CustomerFactory(), recency_days=number, frequency=number, monetary=number)
    rfm_refresh()
    cell = reverse("rfm:cell", args=[5, 5])
    CustomerRfm.objects.update(recency_score=5, frequency_score=5)

    first = marketing_client.get(cell).context["members"]
    second = marketing_client.get(f"{cell}?after={first.next_after}").context["members"]

    assert (len(first.items), len(second.items)) == (MEMBERS_PER_PAGE, 10)
    assert second.next_after is None
    ids = [member.customer_id for member in [*first.items, *second.items]]
    assert ids == sorted(ids) and len(set(ids)) == MEMBERS_PER_PAGE + 10


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_segment_export_is_its_members_as_csv(marketing_client, ten_customers):
    response = marketing_client.get(reverse("rfm:segment-export", args=[segment_id("At Risk")]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rfm-at-risk.csv"'
    assert _csv_rows(response) == [
        ["customer_id", "segment", "recency_score", "frequency_score", "monetary_score",
         "recency_days", "frequency", "monetary"],
        ["c3", "At Risk", "2", "5", "5", "200", "8", "500.00"],
        ["c8", "At Risk", "2", "3", "3", "150", "3", "140.00"],
    ]  # fmt: skip


def _pieces(cell: str) -> list[str]:
    """The pieces a spreadsheet told to split on any separator could cut ``cell`` into."""
    pieces = [cell]
    for separator in SEPARATORS:
        pieces = [part for piece in pieces for part in piece.split(separator)]
    return pieces


def test_no_piece_of_an_exported_cell_starts_a_formula(marketing_client, db):
    for external_id in HOSTILE_IDS:
        behaviour_for(CustomerFactory(external_id=external_id))
    rfm_refresh()
    CustomerRfm.objects.update(recency_score=3, frequency_score=3)

    rows = _csv_rows(marketing_client.get(reverse("rfm:cell-export", args=[3, 3])))

    assert len(rows) == len(HOSTILE_IDS) + 1
    assert sorted(row[0] for row in rows[1:]) == sorted(
        ['\'=HYPERLINK("http://evil")', "x;'=cmd|' /C calc'!A0;", "a\t'=1+1", "b,'@SUM(A1)", "'-3", "'+2"]
    )
    for cell in (cell for row in rows[1:] for cell in row):
        assert not any(piece.startswith(FORMULA_STARTS) for piece in _pieces(cell)), cell


def test_exporting_needs_the_export_permission(client, ten_customers):
    viewer = UserFactory()
    viewer.user_permissions.add(*_permissions("view_rfmsegment", "view_customerrfm"))
    client.force_login(viewer)

    page = client.get(reverse("rfm:segment", args=[segment_id("Lost")]))

    assert page.status_code == 200
    assert "Export customers" not in page.content.decode()
    assert client.get(reverse("rfm:segment-export", args=[segment_id("Lost")])).status_code == 403


def _permissions(*codenames: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="rfm", codename__in=codenames)


def test_the_nav_shows_rfm_to_those_who_may_see_it(client, marketing_client):
    assert 'href="/rfm/"' in marketing_client.get(reverse("customers:list")).content.decode()

    viewer = UserFactory()
    viewer.user_permissions.add(*_permissions("view_customerrfm"))
    client.force_login(viewer)
    assert 'href="/rfm/"' not in client.get("/customers/").content.decode()


def test_the_customer_page_shows_the_scores_and_segment(marketing_client, ten_customers):
    response = marketing_client.get(ten_customers["c9"].get_absolute_url())

    content = response.content.decode()
    assert "Can&#x27;t Lose Them" in content
    assert RfmSegment.objects.get(name="Can't Lose Them").description[:40] in content.replace("&#x27;", "'")
    assert 'class="rfm-score rfm-score-1">1</span>' in content  # R
    assert 'class="rfm-score rfm-score-4">4</span>' in content  # F and M


def test_the_customer_page_says_when_there_is_no_purchase_history(marketing_client):
    customer = CustomerFactory()

    content = marketing_client.get(customer.get_absolute_url()).content.decode()

    rfm_panel = content[content.index("<h2>RFM</h2>") :]
    assert "No purchase history" in rfm_panel[: rfm_panel.index("</section>")]
    assert not CustomerBehaviour.objects.exists()


def test_the_customer_page_says_when_purchases_are_not_scored_yet(marketing_client):
    customer = CustomerFactory()
    Purchase.objects.create(
        customer=customer, purchase_id="R1", line=1, purchased_at=timezone.now(), amount=Decimal("10")
    )

    content = marketing_client.get(customer.get_absolute_url()).content.decode()

    rfm_panel = content[content.index("<h2>RFM</h2>") :]
    assert "not scored yet" in rfm_panel[: rfm_panel.index("</section>")]
