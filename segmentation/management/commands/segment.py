import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from segmentation.models import SegmentationRun
from segmentation.services import (
    segmentation_run_activate,
    segmentation_run_execute,
    segmentation_run_start,
    segmentation_runs_fail_stale,
)

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Start a segmentation run on a Celery worker, wait for it and print the outcome "
        "(--sync runs it in this process instead)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--features",
            default="annual_income,spending_score",
            help="Comma-separated: annual_income, spending_score, age, gender (default: the first two).",
        )
        parser.add_argument("--k", default="auto", help="Number of segments, or 'auto' (default).")
        parser.add_argument("--scaling", default="standard", choices=["standard", "minmax", "none"])
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--activate", action="store_true", help="Make the run active when it succeeds.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--sync", action="store_true", help="Run in this process, not on a worker.")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait for a worker.")
        parser.add_argument(
            "--if-no-active", action="store_true", help="Do nothing when a segmentation is already active."
        )

    def handle(self, *args, **options) -> None:
        if options["if_no_active"] and SegmentationRun.objects.active() is not None:
            self.stdout.write("A segmentation is already active; no run started.")
            return
        run = self._start(options)
        if options["sync"]:
            segmentation_run_execute(run_id=run.pk)
        else:
            self._wait(run, timeout=options["timeout"], quiet=options["json"])
        run.refresh_from_db()
        if run.status == SegmentationRun.Status.SUCCEEDED and options["activate"]:
            run = segmentation_run_activate(run=run)
        if options["json"]:
            self.stdout.write(json.dumps(run_outcome(run), indent=2))
        else:
            self._print(run)
        if run.status != SegmentationRun.Status.SUCCEEDED:
            raise CommandError(f"Run {run.pk} {run.get_status_display().lower()}: {run.error or run.step}")

    def _start(self, options) -> SegmentationRun:
        k = options["k"]
        if k != "auto" and not k.isdigit():
            raise CommandError(f"--k must be 'auto' or a whole number, not {k!r}.")
        try:
            return segmentation_run_start(
                started_by=None,
                features=[feature.strip() for feature in options["features"].split(",") if feature.strip()],
                k=None if k == "auto" else int(k),
                scaling=options["scaling"],
                seed=options["seed"],
                enqueue=not options["sync"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _wait(self, run: SegmentationRun, *, timeout: float, quiet: bool) -> None:
        deadline = time.monotonic() + timeout
        last_step = None
        while not run.is_finished:
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Run {run.pk} is still {run.get_status_display().lower()} after {timeout:.0f} s "
                    f"(at “{run.step}”). Is a Celery worker running? It goes on in the background."
                )
            time.sleep(POLL_SECONDS)
            segmentation_runs_fail_stale()
            run.refresh_from_db()
            if not quiet and run.step != last_step:
                self.stderr.write(f"[{run.progress:3d}%] {run.step}")
                last_step = run.step

    def _print(self, run: SegmentationRun) -> None:
        if run.status != SegmentationRun.Status.SUCCEEDED:
            return
        outcome = run_outcome(run)
        self.stdout.write(
            f"Run {run.pk}: K={run.k}, silhouette {run.silhouette:.2f}, {run.customer_count:,} customers"
            + (" (active)" if run.is_active else "")
        )
        if run.k_sweep:
            self.stdout.write(f"Why K={run.k}: {run.k_sweep['reason']}")
        for segment in outcome["segments"]:
            centroid = ", ".join(f"{feature} {value:.1f}" for feature, value in segment["centroid"].items())
            self.stdout.write(f"  {segment['label']:<40} {segment['size']:>9,}  ({centroid})")


def run_outcome(run: SegmentationRun) -> dict:
    """The run as one JSON-ready object: status, K, quality, the K sweep and every segment."""
    segments = run.segments.select_related("persona").order_by("number")
    return {
        "run_id": run.pk,
        "status": run.status,
        "error": run.error or None,
        "active": run.is_active,
        "features": run.features,
        "k": run.k,
        "k_automatic": run.requested_k is None,
        "silhouette": run.silhouette,
        "customers": run.customer_count,
        "k_sweep": run.k_sweep,
        "segments": [
            {
                "number": segment.number,
                "label": segment.name,
                "persona": segment.persona.name if segment.persona else None,
                "size": segment.size,
                "share": segment.share,
                "centroid": segment.centroid,
                "levels": segment.levels,
                "silhouette": segment.silhouette,
            }
            for segment in segments
        ],
    }
