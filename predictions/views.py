"""The Models page (how the lapse-risk and spend models did, and training them), a forecast's
page with its progress, and the forecast panel of the customer page. Thin callers."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.exceptions import Conflict, ServiceUnavailable
from core.forms import form_add_service_errors
from core.jobs.lifecycle import job_as_seen
from core.jobs.views import JobStatusView
from customers.models import Customer
from predictions.drawing import calibration_drawing
from predictions.forms import ForecastStartForm
from predictions.models import Forecast
from predictions.selectors import customer_score, forecasts_with_starters, published_forecast
from predictions.services import forecast_cancel, forecast_start

FORECASTS_LISTED = 20


class ModelsView(PermissionRequiredMixin, View):
    permission_required = "predictions.view_forecast"

    def get(self, request):
        return self._render(request, ForecastStartForm())

    def post(self, request):
        if not request.user.has_perm("predictions.start_forecast"):
            raise PermissionDenied
        form = ForecastStartForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            forecast = forecast_start(started_by=request.user, horizon_days=form.cleaned_data["horizon_days"])
        except Conflict as error:
            form.add_error(None, error)
            return self._render(request, form, status=409)
        except ValidationError as error:
            form_add_service_errors(form, error)
            return self._render(request, form, status=400)
        except ServiceUnavailable as error:
            form.add_error(None, str(error))
            return self._render(request, form, status=503)
        return redirect("predictions:forecast", pk=forecast.pk)

    def _render(self, request, form, status=200):
        forecasts = [job_as_seen(forecast) for forecast in forecasts_with_starters()[:FORECASTS_LISTED]]
        in_use = published_forecast()
        context = {
            "form": form,
            "forecasts": forecasts,
            "latest": forecasts[0] if forecasts else None,
            "in_use": in_use,
            "calibration": calibration_drawing(in_use.calibration) if in_use else None,
        }
        return render(request, "predictions/models.html", context, status=status)


def _forecast_context(pk: int) -> dict:
    forecast = job_as_seen(get_object_or_404(forecasts_with_starters(), pk=pk))
    return {
        "forecast": forecast,
        "calibration": calibration_drawing(forecast.calibration),
        "in_use": published_forecast(),
    }


class ForecastDetailView(PermissionRequiredMixin, View):
    permission_required = "predictions.view_forecast"

    def get(self, request, pk):
        context = _forecast_context(pk)
        forecast = context["forecast"]
        context["can_cancel"] = not forecast.is_finished and forecast.may_be_cancelled_by(request.user)
        return render(request, "predictions/forecast_detail.html", context)


class ForecastOutcomeView(PermissionRequiredMixin, View):
    """The outcome part of a forecast's page, fetched by the page once the forecast has finished."""

    permission_required = "predictions.view_forecast"

    def get(self, request, pk):
        return render(request, "predictions/_forecast_outcome.html", _forecast_context(pk))


class ForecastStatusView(JobStatusView):
    permission_required = "predictions.view_forecast"
    model = Forecast


class ForecastCancelView(PermissionRequiredMixin, View):
    permission_required = "predictions.view_forecast"

    def post(self, request, pk):
        forecast = get_object_or_404(Forecast, pk=pk)
        try:
            forecast_cancel(forecast=forecast, user=request.user)
        except Conflict as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Forecast {forecast.pk} was cancelled.")
        return redirect("predictions:forecast", pk=forecast.pk)


def customer_forecast_panel(customer: Customer) -> dict:
    """The context of the Forecast panel on a customer's page (registered in ``apps.py``)."""
    return {"score": customer_score(customer=customer), "forecast": published_forecast()}
