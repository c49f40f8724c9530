import pytest

from customers.services import customers_import
from segmentation.models import SegmentationRun
from segmentation.services import segmentation_run_execute, segmentation_run_start
from tests.factories import CustomerFactory


@pytest.fixture
def mall_customers(db, mall_csv):
    with mall_csv.open("rb") as file:
        customers_import(file=file, file_name=mall_csv.name)


@pytest.fixture
def blob_customers(db):
    """Four clear groups of customers, income × spending, 15 each."""
    centres = [(20, 20), (20, 80), (100, 20), (100, 80)]
    for income, spending in centres:
        for offset in range(15):
            CustomerFactory(
                annual_income=income + offset % 5, spending_score=spending + offset // 5, age=20 + offset
            )


def run_now(**parameters) -> SegmentationRun:
    """Start a run without a worker and execute it in this process."""
    run = segmentation_run_start(
        started_by=None, enqueue=False, **{"features": ["annual_income", "spending_score"], **parameters}
    )
    segmentation_run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run
