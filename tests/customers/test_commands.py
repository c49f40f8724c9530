"""The customers app's management commands: import_customers, import_purchases and seed_demo."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from customers.models import Customer, CustomerBehaviour, CustomerImport, Purchase
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)\n"


def test_import_command_imports_the_mall_file(mall_csv, capsys):
    call_command("import_customers", str(mall_csv))

    assert Customer.objects.count() == 200
    assert "200 added" in capsys.readouterr().out


def test_import_command_fails_with_the_report(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "1,Female,abc,40,50\n")

    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_customers", str(path))

    assert "row 2, column 'Age', value 'abc': not a number" in capsys.readouterr().err
    assert not Customer.objects.exists()


def test_import_command_can_skip_invalid_rows(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "1,Female,abc,40,50\n2,Male,30,40,50\n")

    call_command("import_customers", str(path), "--skip-invalid")

    assert list(Customer.objects.values_list("external_id", flat=True)) == ["2"]


def test_import_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_customers", str(tmp_path / "nope.csv"))


def values() -> list[tuple]:
    return list(
        Customer.objects.order_by("id").values_list(
            "external_id", "gender", "age", "annual_income", "spending_score"
        )
    )


def test_seed_demo_is_deterministic_for_a_seed():
    call_command("seed_demo", "--customers", "300", "--seed", "7")
    first = values()
    Customer.objects.all().delete()
    call_command("seed_demo", "--customers", "300", "--seed", "7")

    assert values() == first
    assert len(first) == 300


def test_seed_demo_gives_other_customers_for_another_seed():
    call_command("seed_demo", "--customers", "300", "--seed", "7")
    first = values()
    call_command("seed_demo", "--customers", "300", "--seed", "8")

    assert values() != first


def test_seed_demo_shapes_groups_like_the_mall_file():
    call_command("seed_demo", "--customers", "5000", "--seed", "1")

    rich_frugal = Customer.objects.filter(annual_income__gte=70, spending_score__lte=35).count()
    poor_lavish = Customer.objects.filter(annual_income__lte=40, spending_score__gte=65).count()
    assert 700 <= rich_frugal <= 1100  # about 17.5%
    assert 400 <= poor_lavish <= 750  # about 11.5%


def test_seed_demo_if_empty_leaves_existing_customers_alone():
    call_command("seed_demo", "--customers", "10")

    call_command("seed_demo", "--customers", "500", "--if-empty")

    assert Customer.objects.count() == 10


def test_seed_demo_adds_purchase_histories_up_to_the_day_before_today(capsys):
    call_command("seed_demo", "--customers", "200", "--seed", "3", "--today", "2025-06-30")

    out = capsys.readouterr().out
    lines = Purchase.objects.count()
    assert "Demo customers: 200 added, 0 updated (seed 3)." in out
    assert f"Demo purchases: {lines:,} lines; {CustomerBehaviour.objects.count():,} customers have" in out
    latest = Purchase.objects.order_by("-purchased_at").first().purchased_at
    assert latest.date() == dt.date(2025, 6, 29)


def test_seed_demo_without_purchases_writes_customers_only(capsys):
    call_command("seed_demo", "--customers", "200", "--no-purchases")

    assert Customer.objects.count() == 200
    assert not Purchase.objects.exists()
    assert "Demo purchases" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("today", "message"),
    [("2999-01-01", "--today must not be in the future"), ("31/12/2025", "is not a date")],
)
def test_seed_demo_refuses_a_today_in_the_future_or_not_a_date(today, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", "--customers", "10", "--today", today)

    assert not Customer.objects.exists()


# IMPORT_PURCHASES

PURCHASES = "CustomerID,InvoiceNo,InvoiceDate,Amount\n"


def test_import_purchases_imports_lines_and_records_the_import(tmp_path, capsys):
    CustomerFactory(external_id="C1")
    path = tmp_path / "receipts.csv"
    path.write_text(PURCHASES + "C1,R1,2025-03-04,10\nC1,R1,2025-03-04,5\n")

    call_command("import_purchases", str(path))

    assert Purchase.objects.count() == 2 and "receipts.csv: 2 added" in capsys.readouterr().out
    job = CustomerImport.objects.get()
    assert (job.kind, job.status, job.started_by) == ("purchases", "succeeded", None)


def test_import_purchases_refuses_ambiguous_dates_and_names_the_option(tmp_path, capsys):
    CustomerFactory(external_id="C1")
    path = tmp_path / "receipts.csv"
    path.write_text(PURCHASES + "C1,R1,03/04/2025,10\n")

    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_purchases", str(path))

    assert "--date-format" in capsys.readouterr().err and not Purchase.objects.exists()
    call_command("import_purchases", str(path), "--date-format", "%d/%m/%Y")
    assert str(Purchase.objects.get().purchased_at.date()) == "2025-04-03"
