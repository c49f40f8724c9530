"""Reads for predictions: the purchase history the models learn from, and the forecasts."""

import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from core.bulk import read_frame
from customers.models import Customer, Purchase
from predictions.models import CustomerForecast, Forecast

LINE_COLUMNS = ["customer_id", "purchased_at", "amount"]


def purchase_lines() -> pd.DataFrame:
    """Every purchase line as the predictions engine takes them: ``customer_id``, ``purchased_at``
    (UTC timestamps) and ``amount`` (net, refunds negative), read in bulk as seconds since 1970."""
    seconds = (
        "EXTRACT(EPOCH FROM purchased_at)::bigint"
        if connection.vendor == "postgresql"
        else "CAST(strftime('%s', purchased_at) AS INTEGER)"
    )
    lines = read_frame(
        query=f"SELECT customer_id, {seconds}, amount FROM {Purchase._meta.db_table}", columns=LINE_COLUMNS
    )
    return pd.DataFrame(
        {
            "customer_id": lines["customer_id"].astype("int64"),
            "purchased_at": pd.to_datetime(lines["purchased_at"].astype("int64"), unit="s", utc=True),
            "amount": lines["amount"].astype(float),
        }
    )


def forecasts_with_starters() -> QuerySet[Forecast]:
    return Forecast.objects.select_related("started_by")


def latest_forecast() -> Forecast | None:
    return forecasts_with_starters().first()


def published_forecast() -> Forecast | None:
    """The forecast whose scores are in use: the latest published one (only it keeps scores)."""
    return forecasts_with_starters().filter(published=True).first()


def customer_score(*, customer: Customer, forecast: Forecast | None) -> CustomerForecast | None:
    """The customer's lapse risk and expected spend in ``forecast`` (the published one), if it scored them."""
    if forecast is None:
        return None
    return CustomerForecast.objects.filter(forecast=forecast, customer=customer).first()


def scores_where(forecast: Forecast, **lookups) -> QuerySet[CustomerForecast]:
    """The forecast's scores matching ``lookups`` (e.g. ``lapse_risk__gte=0.6``)."""
    return CustomerForecast.objects.filter(forecast=forecast, **lookups)
