import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import DataCommand
from core.exceptions import ServiceUnavailable
from core.jobs.lifecycle import jobs_fail_stale
from predictions.execution import forecast_execute
from predictions.models import HORIZON_RANGE, Forecast
from predictions.services import forecast_start

POLL_SECONDS = 0.5


class Command(DataCommand):
    help = (
        "Train the lapse-risk and spend models on a Celery worker, wait for the verdict and print it "
        "(--sync trains in this process instead). A forecast that is not published still succeeds: "
        "the output says why it was not."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--horizon",
            type=int,
            help=f"Days, {HORIZON_RANGE[0]} to {HORIZON_RANGE[1]} (default: setting FORECAST_HORIZON_DAYS).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--sync", action="store_true", help="Train in this process, not on a worker.")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait for a worker.")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        try:
            forecast = forecast_start(
                started_by=None, horizon_days=options["horizon"], enqueue=not options["sync"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ServiceUnavailable as error:
            raise CommandError(str(error)) from error
        if options["sync"]:
            forecast_execute(forecast_id=forecast.pk)
        forecast = self._wait(forecast, timeout=options["timeout"])
        if forecast.status != Forecast.Status.SUCCEEDED:
            raise CommandError(
                f"Forecast {forecast.pk} {forecast.get_status_display().lower()}: {forecast.error}"
            )
        self._print(forecast, seconds=time.monotonic() - started, as_json=options["json"])

    def _wait(self, forecast: Forecast, *, timeout: float) -> Forecast:
        deadline = time.monotonic() + timeout
        forecast.refresh_from_db()
        while not forecast.is_finished:
            if time.monotonic() > deadline:
                raise CommandError(f"Forecast {forecast.pk} is still {forecast.status} after {timeout:g} s.")
            time.sleep(POLL_SECONDS)
            jobs_fail_stale(Forecast)
            forecast.refresh_from_db()
        return forecast

    def _print(self, forecast: Forecast, *, seconds: float, as_json: bool) -> None:
        outcome = {
            "forecast": forecast.pk,
            "published": forecast.published,
            "reason": forecast.reason,
            "horizon_days": forecast.horizon_days,
            "as_of": forecast.as_of.isoformat() if forecast.as_of else None,
            "customers_scored": forecast.customers_scored,
            "auc": forecast.auc,
            "spend_mae": forecast.spend_mae,
            "baseline_mae": forecast.baseline_mae,
            "seconds": round(seconds, 2),
        }
        if as_json:
            self.stdout.write(json.dumps(outcome))
            return
        verdict = "Published" if forecast.published else "Not published"
        self.stdout.write(f"Forecast {forecast.pk}: {verdict}. {forecast.reason}")
        if forecast.published:
            self.stdout.write(f"{forecast.customers_scored:,} customers scored in {seconds:.1f} s.")
