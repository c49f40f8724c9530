"""manage.py forecast: train in this process (--sync) and print the verdict."""

import json

import pytest
from django.core.management import CommandError, call_command

from predictions.models import Forecast

pytestmark = pytest.mark.django_db


def test_forecast_sync_trains_here_and_prints_the_verdict_as_json(planted_book, capsys):
    call_command("forecast", "--sync", "--json")

    outcome = json.loads(capsys.readouterr().out)
    forecast = Forecast.objects.get()
    assert outcome["forecast"] == forecast.pk and outcome["published"] is True
    assert outcome["customers_scored"] == len(planted_book) and outcome["auc"] == pytest.approx(forecast.auc)


def test_a_refused_forecast_prints_why(short_book, capsys):
    call_command("forecast", "--sync", "--horizon", "30")

    out = capsys.readouterr().out
    assert out.startswith(f"Forecast {Forecast.objects.get().pk}: Not published. The history covers 59 days")


def test_a_bad_horizon_is_refused_naming_the_range(db):
    with pytest.raises(CommandError, match="less than or equal to 365"):
        call_command("forecast", "--sync", "--horizon", "400")

    assert not Forecast.objects.exists()
