"""Segment identity across runs (segmentation.services.identity) and following customers between
runs (segmentation.selectors.moves): a re-run keeps each segment's identity, name, persona and hand
edits, and the customers who changed are exactly the ones shown as moved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from customers.models import Customer
from segmentation.models import Persona, Segment
from segmentation.selectors.moves import customer_segment_history, moved_members, run_moves
from segmentation.services.segments import segment_edit
from tests.factories import UserFactory, run_now

pytestmark = pytest.mark.django_db


def segment_at(run, *, income, spending) -> Segment:
    """The run's segment whose centre is nearest (income, spending)."""
    return min(
        run.segments.all(),
        key=lambda s: (
            (s.centroid["annual_income"] - income) ** 2 + (s.centroid["spending_score"] - spending) ** 2
        ),
    )


def test_a_rerun_on_unchanged_data_continues_every_segment_with_every_member(mall_customers):
    first = run_now()
    second = run_now()

    assert second.matched_to == first
    earlier = {segment.pk: segment for segment in first.segments.all()}
    for segment in second.segments.select_related("continues"):
        predecessor = earlier[segment.continues_id]
        assert (segment.matched_by, segment.kept_share) == ("members", 1.0)
        assert (segment.identity, segment.name, segment.persona_id) == (
            predecessor.identity,
            predecessor.name,
            predecessor.persona_id,
        )
        assert segment.number == predecessor.number
    moves = run_moves(first=first, second=second)
    assert (moves.moved_customers, moves.shared_customers, moves.vanished) == (0, 200, [])


def test_a_first_run_has_nothing_to_continue(blob_customers):
    run = run_now(k=4)
    assert run.matched_to is None
    assert all(segment.continues_id is None and not segment.is_new for segment in run.segments.all())


def test_customers_who_changed_move_alone_and_hand_edits_survive(blob_customers, marketing_user):
    first = run_now(k=4)
    thrifty = segment_at(first, income=100, spending=20)
    persona = Persona.objects.get(name="Cautious Spenders")
    segment_edit(
        segment=thrifty, user=marketing_user, name="Thrifty rich", persona=persona, note="Call weekly."
    )
    lavish = segment_at(first, income=100, spending=80)
    changed = list(Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).order_by("pk")[:3])
    Customer.objects.filter(pk__in=[customer.pk for customer in changed]).update(spending_score=81)

    second = run_now(k=4)

    successor = second.segments.get(continues=thrifty)
    assert (successor.name, successor.persona, successor.note) == ("Thrifty rich", persona, "Call weekly.")
    assert (successor.edited_by, successor.identity) == (marketing_user, thrifty.identity)
    assert successor.kept_share == pytest.approx(12 / 15)
    for segment in second.segments.exclude(pk=successor.pk).select_related("continues"):
        assert segment.kept_share == 1.0
        assert (segment.name, segment.persona_id) == (segment.continues.name, segment.continues.persona_id)
    moves = run_moves(first=first, second=second)
    moved_cells = [cell for _, cells in moves.rows for cell in cells if cell.customers and not cell.stayed]
    assert [(cell.source, cell.target.continues, cell.customers) for cell in moved_cells] == [
        (thrifty, lavish, 3)
    ]
    members = moved_members(source=thrifty, target=moved_cells[0].target).order_by("customer_id")
    assert [assignment.customer for assignment in members] == changed


def test_a_customers_history_marks_the_run_where_they_moved(blob_customers):
    run_now(k=4)
    customer = Customer.objects.filter(annual_income__gte=100, spending_score__lt=30).first()
    Customer.objects.filter(pk=customer.pk).update(spending_score=81)
    run_now(k=4)
    run_now(k=4)

    history = customer_segment_history(customer=customer)
    assert [entry.moved for entry in history] == [False, True, False]
    assert history[1].segment.centroid["spending_score"] > 70


def test_editing_a_segment_needs_the_permission_and_a_name(blob_customers, marketing_user):
    segment = run_now(k=4).segments.first()
    original = (segment.name, segment.note)
    with pytest.raises(PermissionDenied):
        segment_edit(segment=segment, user=UserFactory(), name="Mine", persona=None, note="")
    with pytest.raises(ValidationError, match="needs a name"):
        segment_edit(segment=segment, user=marketing_user, name="   ", persona=None, note="x")
    segment.refresh_from_db()
    assert (segment.name, segment.note, segment.edited_by) == (*original, None)
