"""Population drift: after the customers change, how far they have moved from the population the
active run was fitted on (``engine.drift``), kept so the dashboard can say when to re-run."""

import logging

from segmentation import engine_adapter
from segmentation.models import PopulationDrift, SegmentationRun
from segmentation.selectors.frames import customers_frame, with_values_for

logger = logging.getLogger(__name__)


def population_drift_measure(*, trigger: str) -> PopulationDrift | None:
    """Measure each of the active run's features now against its stored population and record
    it; None when no run is active (or it kept no population)."""
    run = SegmentationRun.objects.active()
    if run is None or not run.population:
        return None
    customers = with_values_for(
        customers_frame(attributes=list(run.custom_features), behaviour=run.uses_behaviour),
        features=run.features,
    )
    reference = {feature: summary for feature, summary in run.population.items() if feature in run.features}
    return PopulationDrift.objects.create(
        run=run,
        trigger=trigger[: PopulationDrift._meta.get_field("trigger").max_length],
        customers=len(customers),
        features=engine_adapter.population_drift(population=reference, customers=customers),
    )


def population_drift_after_import(sender, report, **kwargs) -> None:
    """On ``customers.signals.book_imported``, after the import committed: measure the drift. A
    failure here is logged and never reaches the import, which has already succeeded."""
    try:
        population_drift_measure(trigger=f"import of {report.file_name}")
    except Exception:
        logger.exception("Measuring population drift after the import of %s failed.", report.file_name)
