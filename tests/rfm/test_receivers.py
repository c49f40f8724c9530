"""RFM follows the behaviour features: a behaviour refresh recomputes the scores, in the same
transaction."""

import pytest
from django.db import transaction

from customers.behaviour import behaviour_refresh
from customers.models import CustomerBehaviour
from rfm.models import CustomerRfm

pytestmark = pytest.mark.django_db


def test_a_behaviour_refresh_recomputes_the_scores(ten_customers):
    behaviour_refresh()  # no purchases stored: every behaviour row goes, and the scores with them

    assert not CustomerBehaviour.objects.exists()
    assert not CustomerRfm.objects.exists()


def test_scores_roll_back_with_the_refresh(ten_customers):
    with pytest.raises(RuntimeError), transaction.atomic():
        behaviour_refresh()
        raise RuntimeError("the import failed after the refresh")

    assert CustomerRfm.objects.count() == 10
