"""Executing a segmentation run (segmentation.services.execution): the known Mall answer,
storing the result, progress, failures, and interruptions (a dead worker, a customer deleted
meanwhile, a run failed or cancelled before its task runs)."""

from unittest import mock

import pytest
from django.db import connection

from customers import book_lock
from customers.models import Customer
from segmentation import engine_adapter
from segmentation.models import Assignment, Segment, SegmentationRun
from segmentation.services import assignments, execution
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.runs import segmentation_run_cancel, segmentation_run_start
from tests.factories import CustomerFactory, UserFactory, run_now

pytestmark = pytest.mark.django_db
Status = SegmentationRun.Status


def test_mall_file_gives_the_known_segments_and_personas(mall_customers):
    run = run_now()

    assert (run.status, run.progress, run.k, run.customer_count) == (Status.SUCCEEDED, 100, 5, 200)
    assert run.silhouette == pytest.approx(0.55, abs=0.01)
    assert "K=5" in run.k_sweep["reason"]
    segments = {segment.persona.name: segment for segment in run.segments.select_related("persona")}
    assert sorted((s.size for s in segments.values()), reverse=True) == [81, 39, 35, 23, 22]
    expected = {
        "Cautious Spenders": (88, 17),
        "Premium Shoppers": (87, 82),
        "Impulse Buyers": (26, 79),
        "Minimal Shoppers": (26, 21),
        "Standard Shoppers": (55, 50),
    }
    for persona, (income, spending) in expected.items():
        centroid = segments[persona].centroid
        assert centroid["annual_income"] == pytest.approx(income, abs=2)
        assert centroid["spending_score"] == pytest.approx(spending, abs=2)
    assert Assignment.objects.filter(run=run, placed=False).count() == 200


def test_first_successful_run_becomes_active_and_later_ones_do_not(blob_customers):
    first = run_now(k=4)
    second = run_now(k=3)

    assert first.is_active and not second.is_active


def test_run_records_fingerprint_sweep_and_scaler(blob_customers):
    run = run_now()

    assert len(run.data_fingerprint) == 64
    assert run.k == 4
    assert run.k_sweep["ks"] == list(range(2, 11))
    assert run.scaler["features"] == ["annual_income", "spending_score"]
    assert set(run.population) == {"annual_income", "spending_score", "age"}


def test_same_data_and_seed_give_the_same_fingerprint_and_segments(blob_customers):
    first, second = run_now(seed=3), run_now(seed=3)

    assert first.data_fingerprint == second.data_fingerprint
    assert list(first.segments.values_list("size", "centroid")) == list(
        second.segments.values_list("size", "centroid")
    )


def test_executing_the_same_run_twice_gives_one_result(blob_customers):
    run = run_now(k=4)

    segmentation_run_execute(run_id=run.pk)

    assert Segment.objects.filter(run=run).count() == 4
    assert Assignment.objects.filter(run=run).count() == 60


def test_run_with_no_customers_fails_with_a_clear_message(db):
    run = run_now()

    assert run.status == Status.FAILED
    assert run.error == "There are no customers to segment."
    assert not run.segments.exists()


def test_run_with_fewer_customers_than_k_fails_with_a_clear_message(db):
    CustomerFactory.create_batch(3)

    run = run_now(k=5)

    assert run.status == Status.FAILED
    assert "Only 3 customers to segment, but K is 5" in run.error


def test_run_on_a_feature_without_variance_fails_naming_it(db):
    CustomerFactory.create_batch(10, spending_score=50)

    run = run_now()

    assert run.status == Status.FAILED
    assert "spending score" in run.error.lower() and "50" in run.error


def test_unexpected_error_fails_the_run_and_leaves_no_partial_results(blob_customers):
    with (
        mock.patch.object(assignments, "insert_columns", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        run_now(k=4)

    run = SegmentationRun.objects.get()
    assert run.status == Status.FAILED
    assert "internal error" in run.error
    assert not Segment.objects.exists() and not Assignment.objects.exists()


def test_a_measurement_that_fails_while_the_assignments_are_written_leaves_nothing(blob_customers):
    """The quality is measured in a thread while the segments and assignments are written; its
    error still fails the run, and the transaction takes back what was written meanwhile."""
    with (
        mock.patch.object(engine_adapter, "segmentation_measure", side_effect=RuntimeError("out of memory")),
        pytest.raises(RuntimeError),
    ):
        run_now(k=4)

    run = SegmentationRun.objects.get()
    assert run.status == Status.FAILED and "internal error" in run.error
    assert not Segment.objects.exists() and not Assignment.objects.exists()


def test_an_engine_error_in_the_measurement_fails_the_run_with_its_message(blob_customers):
    refusal = engine_adapter.EngineError("The stability resamples found no segment.")
    with mock.patch.object(engine_adapter, "segmentation_measure", side_effect=refusal):
        run = run_now(k=4)

    assert (run.status, run.error) == (Status.FAILED, "The stability resamples found no segment.")
    assert not Segment.objects.exists() and not Assignment.objects.exists()


def test_segments_are_stored_with_the_quality_measured_beside_the_write(blob_customers, settings):
    settings.SEGMENT_MIN_SHARE = 0.3  # the four blobs hold a quarter each: every segment is tiny
    run = run_now(k=4)

    segments = list(run.segments.order_by("number"))
    assert all(segment.silhouette > 0.5 and 0 <= segment.stability <= 1 for segment in segments)
    assert [segment.cautions for segment in segments] == [["tiny_segment"]] * 4
    assert [warning["code"] for warning in run.warnings] == ["tiny_segment"] * 4


def test_progress_is_reported_at_each_step_of_the_sweep(blob_customers):
    run = segmentation_run_start(started_by=None, enqueue=False, features=["annual_income", "spending_score"])
    steps = []
    original = execution._report_progress

    def spy(run_id, percent, step):
        steps.append((percent, step))
        original(run_id, percent, step)

    with mock.patch.object(execution, "_report_progress", spy):
        segmentation_run_execute(run_id=run.pk)

    percents = [percent for percent, _ in steps]
    assert percents == sorted(percents)
    assert sum("Tried K=" in step for _, step in steps) == 9


# INTERRUPTIONS


def test_a_worker_that_comes_back_after_being_declared_dead_saves_nothing(blob_customers):
    run = segmentation_run_start(started_by=None, enqueue=False, features=["annual_income", "spending_score"])
    original = execution._report_progress

    def declared_dead_midway(run_id, percent, step):
        if percent >= 70:
            SegmentationRun.objects.filter(pk=run_id).update(status=Status.FAILED, error="stopped responding")
        original(run_id, percent, step)

    with mock.patch.object(execution, "_report_progress", declared_dead_midway):
        segmentation_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == Status.FAILED and run.error == "stopped responding"
    assert not Segment.objects.exists()


def test_a_customer_deleted_while_the_run_computes_gets_no_assignment(blob_customers):
    run = segmentation_run_start(started_by=None, enqueue=False, features=["annual_income", "spending_score"])
    leaver = Customer.objects.first()
    original = execution._report_progress

    def delete_customer_midway(run_id, percent, step):
        if percent >= 70:
            Customer.objects.filter(pk=leaver.pk).delete()
        original(run_id, percent, step)

    with mock.patch.object(execution, "_report_progress", delete_customer_midway):
        segmentation_run_execute(run_id=run.pk)

    assert Assignment.objects.filter(run=run).count() == 59
    assert not Assignment.objects.filter(customer_id=leaver.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletions are counted on PostgreSQL")
def test_a_run_with_nobody_deleted_meanwhile_reads_no_id_to_check_its_customers(blob_customers):
    with mock.patch.object(book_lock, "read_ids", side_effect=AssertionError("every id was read")):
        run = run_now(k=4)

    assert Assignment.objects.filter(run=run).count() == Customer.objects.count()


def test_a_redelivered_task_for_a_failed_run_does_nothing(blob_customers):
    run = SegmentationRun.objects.create(features=["annual_income"], status=Status.FAILED, error="stopped")

    segmentation_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == Status.FAILED and not Segment.objects.exists()


def test_a_cancelled_run_is_not_executed(blob_customers):
    analyst = UserFactory()
    run = segmentation_run_start(started_by=analyst, enqueue=False, features=["annual_income"])
    segmentation_run_cancel(run=run, user=analyst)

    segmentation_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == Status.CANCELLED and not Segment.objects.exists()
