import pandas as pd
import pytest
from django.utils import timezone

from predictions.execution import forecast_execute
from predictions.models import Forecast
from predictions.services import forecast_start
from tests.predictions.histories import history_store, planted_history


@pytest.fixture
def planted_book(db):
    """150 steady and 150 thinning customers whose history ends now; returns the customers by
    planted id (steady: 0 to 149)."""
    return history_store(planted_history(as_of=pd.Timestamp(timezone.now()), steady=150, thinning=150))


@pytest.fixture
def short_book(db):
    """Customers with sixty days of history: too short to learn from."""
    return history_store(planted_history(as_of=pd.Timestamp(timezone.now()), steady=60, thinning=0, days=60))


def forecast_now(**parameters) -> Forecast:
    """Start a forecast and execute it in this process."""
    forecast = forecast_start(started_by=None, **parameters)
    forecast_execute(forecast_id=forecast.pk)
    forecast.refresh_from_db()
    return forecast
