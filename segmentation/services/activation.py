"""Making a run the active segmentation: one place for what that means, whoever decides it (a
user, or a scheduled run whose guardrails hold)."""

from django.contrib.auth.models import AbstractBaseUser

from segmentation.models import RunActivation, SegmentationRun


def run_make_active(*, run: SegmentationRun, activated_by: AbstractBaseUser | None) -> None:
    """Inside the caller's transaction: ``run`` (succeeded, row locked) becomes the one active run,
    and the activation is recorded. Nothing happens when it already is."""
    if run.is_active:
        return
    SegmentationRun.objects.filter(is_active=True).update(is_active=False)
    run.is_active = True
    run.save(update_fields=["is_active", "updated_at"])
    RunActivation.objects.create(run=run, activated_by=activated_by)
