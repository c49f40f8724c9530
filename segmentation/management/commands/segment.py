import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import DataCommand
from core.exceptions import ServiceUnavailable
from segmentation import engine_adapter
from segmentation.models import SegmentationRun
from segmentation.selectors.runs import run_outcome
from segmentation.services.execution import segmentation_run_execute
from segmentation.services.runs import segmentation_run_activate, segmentation_run_start
from segmentation.services.watchdog import segmentation_runs_fail_stale

POLL_SECONDS = 0.5
LOWEST_K, HIGHEST_K = engine_adapter.K_LIMITS
DEFAULT_K_MIN, DEFAULT_K_MAX = engine_adapter.DEFAULT_K_RANGE


class Command(DataCommand):
    help = (
        "Start a segmentation run on a Celery worker, wait for it and print the outcome "
        "(--sync runs it in this process instead)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--features",
            default=",".join(engine_adapter.DEFAULT_FEATURES),
            help=f"Comma-separated, from: {', '.join(engine_adapter.FEATURES)} and the names of declared "
            "attributes (default: %(default)s).",
        )
        parser.add_argument(
            "--algorithm",
            default=engine_adapter.DEFAULT_ALGORITHM,
            choices=engine_adapter.ALGORITHMS,
            help="dbscan and hdbscan find the number of segments themselves (default: %(default)s).",
        )
        parser.add_argument(
            "--eps", type=float, help="DBSCAN's neighbourhood radius (default: from the data)."
        )
        parser.add_argument("--min-samples", type=int, help="DBSCAN's neighbours for a core customer.")
        parser.add_argument("--min-cluster-size", type=int, help="HDBSCAN's smallest segment.")
        parser.add_argument(
            "--k",
            default="auto",
            help=f"Number of segments, {LOWEST_K} to {HIGHEST_K}, or 'auto' (default) to choose it.",
        )
        parser.add_argument(
            "--k-min",
            type=int,
            default=DEFAULT_K_MIN,
            help="Smallest K tried by 'auto' (default: %(default)s).",
        )
        parser.add_argument(
            "--k-max",
            type=int,
            default=DEFAULT_K_MAX,
            help="Largest K tried by 'auto' (default: %(default)s).",
        )
        parser.add_argument(
            "--scaling", default=engine_adapter.DEFAULT_SCALING, choices=engine_adapter.SCALINGS
        )
        parser.add_argument("--seed", type=int, default=engine_adapter.DEFAULT_SEED)
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
            self.stdout.write(json.dumps(run_outcome(run=run), indent=2))
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
                algorithm=options["algorithm"],
                algorithm_parameters={
                    name: options[name]
                    for name in engine_adapter.ALGORITHM_SETTINGS
                    if options[name] is not None
                },
                k=None if k == "auto" else int(k),
                k_range=(options["k_min"], options["k_max"]),
                scaling=options["scaling"],
                seed=options["seed"],
                enqueue=not options["sync"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ServiceUnavailable as error:
            raise CommandError(str(error)) from error

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
        outcome = run_outcome(run=run)
        silhouette = "undefined" if run.silhouette is None else f"{run.silhouette:.2f}"
        self.stdout.write(
            f"Run {run.pk} ({engine_adapter.ALGORITHM_LABELS[run.algorithm]}): K={run.k}, silhouette "
            f"{silhouette}, {run.customer_count:,} customers" + (" (active)" if run.is_active else "")
        )
        if run.k_sweep:
            self.stdout.write(f"Why K={run.k}: {run.k_sweep['reason']}")
        for segment in outcome["segments"]:
            centroid = ", ".join(f"{feature} {value:.1f}" for feature, value in segment["centroid"].items())
            self.stdout.write(f"  {segment['label']:<40} {segment['size']:>9,}  ({centroid})")
        for warning in outcome["warnings"]:
            self.stdout.write(self.style.WARNING(f"Warning ({warning['code']}): {warning['message']}"))
