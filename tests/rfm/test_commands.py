import pytest
from django.core.management import call_command

from rfm.models import CustomerRfm

pytestmark = pytest.mark.django_db


def test_refresh_rfm_scores_every_customer_with_behaviour(ten_customers, capsys):
    CustomerRfm.objects.all().delete()

    call_command("refresh_rfm")

    assert "RFM scores computed for 10 customer(s) with purchases." in capsys.readouterr().out
    assert CustomerRfm.objects.count() == 10
