from django.apps import AppConfig
from django.db.models.signals import pre_delete


class SegmentationConfig(AppConfig):
    name = "segmentation"
    verbose_name = "Segmentation"

    def ready(self) -> None:
        # Imported here: panels and views need the app registry to be ready.
        from customers.import_kinds import importer_register
        from customers.models import ImportKind
        from customers.panels import CustomerPanel, customer_panel_register
        from customers.signals import book_imported
        from segmentation import schedule_tasks  # noqa: F401  (registers beat's schedule task)
        from segmentation.assignment_partitions import run_partition_drop
        from segmentation.models import SegmentationRun
        from segmentation.moves_views import customer_history_panel
        from segmentation.outcomes.importing import outcomes_import
        from segmentation.playbook_views import customer_outcomes_panel
        from segmentation.services.drift import population_drift_after_import
        from segmentation.views import customer_segment_panel

        customer_panel_register(
            CustomerPanel(
                template_name="segmentation/_customer_segment_panel.html", context=customer_segment_panel
            )
        )
        customer_panel_register(
            CustomerPanel(
                template_name="segmentation/_customer_history_panel.html", context=customer_history_panel
            )
        )
        customer_panel_register(
            CustomerPanel(
                template_name="segmentation/_customer_outcomes_panel.html", context=customer_outcomes_panel
            )
        )
        importer_register(
            ImportKind.OUTCOMES,
            outcomes_import,
            reads_dates=True,
            follow_up=("See what each campaign achieved", "segmentation:playbook"),
        )
        book_imported.connect(population_drift_after_import, dispatch_uid="segmentation-drift-after-import")
        pre_delete.connect(
            run_partition_drop, sender=SegmentationRun, dispatch_uid="segmentation-run-partition"
        )
        _audit()


def _audit() -> None:
    """What the audit trail keeps: runs started (their creation), cancelled (core.jobs) and
    activated, and every change to the playbook, to segments' hand edits, to schedules and to
    campaign outcomes made one by one (an imported file's are recorded as its import). A run's
    progress and results are its own record, not the trail's."""
    from core.history import audit_changes_of
    from segmentation.models import (
        Campaign,
        CampaignOutcome,
        Persona,
        PersonaCampaign,
        RunActivation,
        Segment,
        SegmentationRun,
        SegmentationSchedule,
    )

    audit_changes_of(SegmentationRun, fields=["status", "is_active", "features", "algorithm"])
    audit_changes_of(Segment, fields=["name", "persona", "note"])
    for model in (RunActivation, Persona, Campaign, PersonaCampaign, SegmentationSchedule, CampaignOutcome):
        audit_changes_of(model)
