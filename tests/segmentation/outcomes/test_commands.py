"""The outcome commands: ``import_outcomes`` (recorded among the imports) and ``seed_demo_outcomes``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import CustomerImport, ImportKind
from segmentation.models import CampaignOutcome
from segmentation.outcomes.results import campaigns_totals
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HEADER = "CustomerID,Campaign,SentDate,Responded\n"


def test_import_outcomes_imports_a_file_and_records_the_import(tmp_path, two_customers, flash_sales):
    path = tmp_path / "march.csv"
    path.write_text(HEADER + "C1,Flash sales,04/03/2025,yes\nC2,Flash sales,25/03/2025,no\n")
    out = StringIO()

    call_command("import_outcomes", str(path), stdout=out)

    assert "march.csv: 2 added, 0 updated, 0 unchanged." in out.getvalue()
    assert CampaignOutcome.objects.count() == 2
    assert CustomerImport.objects.get().kind == ImportKind.OUTCOMES


def test_import_outcomes_refuses_a_bad_file_listing_the_problems(tmp_path, two_customers, flash_sales):
    path = tmp_path / "march.csv"
    path.write_text(HEADER + "C1,Flash sales,03/04/2025,yes\n")
    err = StringIO()

    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_outcomes", str(path), stderr=err)

    assert "ambiguous" in err.getvalue() and not CampaignOutcome.objects.exists()
    call_command("import_outcomes", str(path), "--date-format", "%d/%m/%Y", stdout=StringIO())
    assert CampaignOutcome.objects.get().sent_on.isoformat() == "2025-04-03"


def test_demo_outcomes_are_deterministic_and_have_control_groups(db):
    CustomerFactory.create_batch(300)

    call_command("seed_demo_outcomes", "--seed", "7", stdout=StringIO())
    first = list(
        CampaignOutcome.objects.order_by("campaign_id", "customer_id").values_list(
            "customer_id", "campaign_id", "control", "responded"
        )
    )
    call_command("seed_demo_outcomes", "--seed", "7", stdout=StringIO())
    again = list(
        CampaignOutcome.objects.order_by("campaign_id", "customer_id").values_list(
            "customer_id", "campaign_id", "control", "responded"
        )
    )

    assert first == again and first
    totals = campaigns_totals()
    assert all(result.sent.sends and result.held_back.sends for result in totals.values())


def test_demo_outcomes_if_empty_leave_stored_outcomes_alone(two_customers, flash_sales):
    call_command("seed_demo_outcomes", stdout=StringIO())
    count = CampaignOutcome.objects.count()
    out = StringIO()

    call_command("seed_demo_outcomes", "--if-empty", "--seed", "9", stdout=out)

    assert "already exist" in out.getvalue() and CampaignOutcome.objects.count() == count
