"""The Models page (how the lapse-risk and spend models did, and training them), a forecast's
page with its progress, and the forecast panel of the customer page. Thin callers."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.exceptions import Conflict, ServiceUnavailable
from core.forms import form_add_service_errors
from core.history import object_history
from core.jobs.lifecycle import job_as_seen
from core.jobs.views import JobStatusView
from core.pagination import cursor_param, keyset_page
from customers.models import Customer
from predictions.audiences import AudienceFilter, audience
from predictions.drawing import calibration_drawing
from predictions.engine import NotEnoughToLearnError
from predictions.exports import audience_csv_response
from predictions.forms import AudienceForm, ForecastStartForm, NewcomerForm
from predictions.models import Forecast
from predictions.newcomers import newcomer_guess
from predictions.selectors import customer_score, forecasts_with_starters, published_forecast
from predictions.services import forecast_cancel, forecast_start
from segmentation.selectors.segments import active_run_segments

FORECASTS_LISTED = 20
AUDIENCE_PER_PAGE = 50


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
        context["history"] = object_history(obj=forecast)
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


class AudienceView(PermissionRequiredMixin, View):
    """Customers (of a segment, or all) by lapse risk and expected spend, paged by customer id."""

    permission_required = ("predictions.view_forecast", "predictions.view_customerforecast")

    def get(self, request):
        form = AudienceForm(request.GET or None)
        in_use = published_forecast()
        context = {"form": form, "in_use": in_use, "query": _filters_query(request)}
        if form.is_bound and not form.is_valid():
            return render(request, "predictions/audience.html", context, status=400)
        if in_use is not None:
            scores = audience(in_use, form.audience_filter() if form.is_bound else AudienceFilter())
            context["count"] = scores.count()
            context["page"] = keyset_page(
                scores,
                key="customer_id",
                after=cursor_param(request, "after"),
                before=cursor_param(request, "before"),
                size=AUDIENCE_PER_PAGE,
            )
        return render(request, "predictions/audience.html", context)


def _filters_query(request) -> str:
    """The page's filters as a query string, without its page cursors."""
    filters = request.GET.copy()
    for cursor in ("after", "before"):
        filters.pop(cursor, None)
    return filters.urlencode()


class AudienceExportView(PermissionRequiredMixin, View):
    permission_required = (
        "predictions.view_forecast",
        "predictions.view_customerforecast",
        "segmentation.export_audience",
    )

    def get(self, request):
        form = AudienceForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                " ".join(error for errors in form.errors.values() for error in errors)
            )
        forecast = published_forecast()
        if forecast is None:
            return HttpResponse("No predictions are published yet.", status=409, content_type="text/plain")
        scores = audience(forecast, form.audience_filter())
        return audience_csv_response(scores, forecast=forecast, segment=form.cleaned_data.get("segment"))


class NewcomerView(PermissionRequiredMixin, View):
    """The Predict page's "no spending data yet" mode: a new member's likely segment."""

    permission_required = "segmentation.view_segment"

    def get(self, request):
        run, _ = active_run_segments()
        form = NewcomerForm(request.GET or None)
        context = {"run": run, "form": form}
        if run is not None and form.is_bound and form.is_valid():
            try:
                context["guess"] = newcomer_guess(run=run, values=form.values())
            except NotEnoughToLearnError as error:
                context["cannot_learn"] = str(error)
        status = 400 if form.is_bound and form.errors else 200
        return render(request, "predictions/newcomer.html", context, status=status)


def customer_forecast_panel(customer: Customer) -> dict:
    """The context of the Forecast panel on a customer's page (registered in ``apps.py``)."""
    forecast = published_forecast()
    return {"score": customer_score(customer=customer, forecast=forecast), "forecast": forecast}
