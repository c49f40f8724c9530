"""How the segments evolved: their sizes, by identity, across the successive active runs, with
each run's quality beside them.

The successive active runs are the run activations (``RunActivation``), oldest first; a segment's
identity is shared by every segment that continues it (``services.identity``), so one line of the
chart follows one group of customers however its number or size changed.
"""

from dataclasses import dataclass
from datetime import datetime

from segmentation.models import RunActivation, Segment, SegmentationRun

EVOLUTION_RUNS = 12
"""The most recent active runs the evolution shows."""
NO_USER = "on its own (first run) or from the command line"


@dataclass(frozen=True)
class ActiveRun:
    run: SegmentationRun
    activated_at: datetime
    activated_by: str

    @property
    def stability(self) -> float | None:
        return ((self.run.quality or {}).get("stability") or {}).get("overall_ari")


@dataclass(frozen=True)
class IdentitySeries:
    """One segment identity's size in each active run (None where it did not exist), named and
    coloured as in the latest run that has it."""

    name: str
    number: int
    is_outliers: bool
    sizes: list[int | None]


@dataclass(frozen=True)
class Evolution:
    runs: list[ActiveRun]
    series: list[IdentitySeries]

    def chart_data(self) -> dict:
        """JSON-ready for the chart: one label per run, one line per identity."""
        return {
            "labels": [f"Run {step.run.pk} · {step.activated_at:%d %b %Y}" for step in self.runs],
            "series": [
                {"name": line.name, "number": line.number, "outliers": line.is_outliers, "sizes": line.sizes}
                for line in self.series
            ],
        }


def segments_evolution(*, limit: int = EVOLUTION_RUNS) -> Evolution:
    """The last ``limit`` active runs, oldest first, and every segment identity's size in each."""
    runs = _successive_active_runs(limit)
    by_run: dict[int, list[Segment]] = {}
    segments = Segment.objects.filter(run_id__in={step.run.pk for step in runs}).order_by("number")
    for segment in segments.only("run_id", "identity", "name", "number", "size", "is_outliers"):
        by_run.setdefault(segment.run_id, []).append(segment)
    latest: dict[str, Segment] = {}
    sizes: dict[str, list[int | None]] = {}
    for index, step in enumerate(runs):
        for segment in by_run.get(step.run.pk, []):
            key = str(segment.identity)
            sizes.setdefault(key, [None] * len(runs))[index] = segment.size
            latest[key] = segment
    series = [
        IdentitySeries(
            name=segment.name, number=segment.number, is_outliers=segment.is_outliers, sizes=sizes[key]
        )
        for key, segment in latest.items()
    ]
    return Evolution(runs=runs, series=sorted(series, key=lambda line: (line.is_outliers, line.number)))


def _successive_active_runs(limit: int) -> list[ActiveRun]:
    """The latest ``limit`` activations, oldest first (a run activated twice appears twice)."""
    activations = RunActivation.objects.select_related("run", "activated_by").order_by("-activated_at", "-pk")
    return [
        ActiveRun(
            run=activation.run,
            activated_at=activation.activated_at,
            activated_by=f"by {activation.activated_by.get_username()}"
            if activation.activated_by
            else NO_USER,
        )
        for activation in list(activations[:limit])[::-1]
    ]
