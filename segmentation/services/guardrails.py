"""Whether a run activates itself when it succeeds: the first run always does; a scheduled run
does when its schedule's guardrails hold against the active run, and otherwise waits for review,
saying why; a run started by hand waits for a user, as always."""

from functools import partial

from django.db import transaction

from segmentation.models import SegmentationRun
from segmentation.services.activation import run_make_active
from segmentation.signals import scheduled_run_stored


def scheduled_run_settle(*, run: SegmentationRun, customers_kept: float | None) -> None:
    """Inside the transaction that stores a succeeded run, once its segments were matched to the
    active run's (``run.matched_to``, None when no run was active): with no run active, it becomes
    active; a scheduled run also does when its guardrails hold against the active run, and
    otherwise records why it waits for review. A run started by hand waits for a user, as always.
    Once a scheduled run commits, ``scheduled_run_stored`` tells the apps above (predictions retrain)."""
    if run.schedule_id is not None:
        transaction.on_commit(partial(scheduled_run_stored.send, sender=SegmentationRun, run=run))
    active = run.matched_to
    if active is None:
        run_make_active(run=run, activated_by=None)
        return
    if run.schedule is None:
        return
    concerns = guardrail_concerns(run=run, active=active, customers_kept=customers_kept)
    if concerns:
        run.review_reason = f"Waiting for review: {'; '.join(concerns)}."
        run.save(update_fields=["review_reason", "updated_at"])
    else:
        run_make_active(run=run, activated_by=None)


def guardrail_concerns(
    *, run: SegmentationRun, active: SegmentationRun, customers_kept: float | None
) -> list[str]:
    """What keeps a scheduled run from replacing the active one, in words (none: it may)."""
    schedule, concerns = run.schedule, []
    if not run.has_structure:
        concerns.append("the customers form no natural groups (weak_structure)")
    if run.silhouette is not None and active.silhouette is not None:
        drop = active.silhouette - run.silhouette
        if drop > schedule.max_silhouette_drop:
            concerns.append(
                f"its silhouette {run.silhouette:.2f} is {drop:.2f} below the active run's "
                f"{active.silhouette:.2f} (the schedule allows {schedule.max_silhouette_drop:.2f})"
            )
    if customers_kept is not None and customers_kept < schedule.min_customers_kept:
        concerns.append(
            f"{customers_kept:.0%} of the customers stayed in the segment that continues theirs "
            f"(the schedule asks for {schedule.min_customers_kept:.0%})"
        )
    return concerns
