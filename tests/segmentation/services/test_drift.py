"""Population drift after an import (segmentation.services.drift): the active run's features now
against the population it was fitted on, shown on the dashboard with the figures."""

import io
from unittest import mock

import pandas as pd
import pytest
from django.urls import reverse

from customers.customer_import import customers_import
from segmentation.models import PopulationDrift
from segmentation.services import drift
from tests.factories import run_now

pytestmark = pytest.mark.django_db


def mall_file(mall_csv, *, spending_shift: int = 0) -> io.BytesIO:
    """The Mall file, the spending score of every customer raised by ``spending_shift`` (capped)."""
    frame = pd.read_csv(mall_csv)
    column = "Spending Score (1-100)"
    frame[column] = (frame[column] + spending_shift).clip(upper=100)
    return io.BytesIO(frame.to_csv(index=False).encode())


def import_committed(file, captured) -> None:
    with captured(execute=True):
        report = customers_import(file=file, file_name="mall.csv")
    assert not report.rejected


def test_a_shifted_import_reads_as_a_significant_drift_and_the_dashboard_says_rerun(
    mall_customers, mall_csv, django_capture_on_commit_callbacks, marketing_client
):
    run = run_now()
    import_committed(mall_file(mall_csv, spending_shift=30), django_capture_on_commit_callbacks)

    measured = PopulationDrift.objects.get()
    assert (measured.run, measured.customers, measured.trigger) == (run, 200, "import of mall.csv")
    assert measured.features["spending_score"]["level"] == "significant"
    income = measured.features["annual_income"]  # unchanged: only the percentiles' 1% resolution
    assert income["level"] == "none" and income["psi"] < 0.01
    assert measured.suggests_rerun
    page = marketing_client.get(reverse("segmentation:dashboard")).content.decode()
    assert "a re-run is suggested" in page and "Significant shift" in page


def test_an_unchanged_import_reads_as_no_change(mall_customers, mall_csv, django_capture_on_commit_callbacks):
    run_now()
    import_committed(mall_file(mall_csv), django_capture_on_commit_callbacks)
    assert PopulationDrift.objects.get().level == "none"


def test_without_an_active_run_nothing_is_measured(mall_csv, django_capture_on_commit_callbacks):
    import_committed(mall_file(mall_csv), django_capture_on_commit_callbacks)
    assert not PopulationDrift.objects.exists()


def test_a_failing_measurement_never_fails_the_import(
    mall_customers, mall_csv, django_capture_on_commit_callbacks, caplog
):
    run_now()
    with mock.patch.object(drift, "population_drift_measure", side_effect=RuntimeError("boom")):
        import_committed(mall_file(mall_csv, spending_shift=30), django_capture_on_commit_callbacks)
    assert "Measuring population drift after the import of mall.csv failed" in caplog.text
    assert not PopulationDrift.objects.exists()
