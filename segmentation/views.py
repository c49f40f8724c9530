"""Portal pages for segmentation (dashboard, runs, segments, predict) and the Segment panel of the
customer page. Thin callers of one service or selector each."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.exceptions import ServiceUnavailable
from core.forms import form_add_service_errors
from core.history import object_history
from core.jobs.views import JobStatusView
from core.pagination import cursor_param, keyset_page
from customers.models import Customer
from segmentation.exports import audience_csv_response
from segmentation.forms import PredictForm, RunStartForm
from segmentation.models import Assignment, SegmentationRun
from segmentation.outcomes.ranking import segment_campaigns_ranked, top_campaigns
from segmentation.page_links import PREDICT_PAGE, SEGMENT_PAGE, page_links
from segmentation.selectors.dendrogram import dendrogram_drawing
from segmentation.selectors.matches import customer_advice, run_leaving_out, values_advice
from segmentation.selectors.runs import run_as_seen, run_chart_data, runs_with_starters
from segmentation.selectors.segments import (
    active_run_segments,
    run_segments,
    segment_members,
    segments_with_personas,
)
from segmentation.services.runs import (
    segmentation_run_activate,
    segmentation_run_cancel,
    segmentation_run_start,
)

MEMBERS_PER_PAGE = 50
RUNS_PER_PAGE = 20


class DashboardView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segmentationrun"

    def get(self, request):
        run, segments = active_run_segments()
        context = {"run": run, "segments": segments}
        if run is not None:
            context["chart_data"] = run_chart_data(run=run, segments=segments)
            context["top_campaigns"] = top_campaigns(run, segments)
            context["drift"] = run.drift_checks.first()
        return render(request, "segmentation/dashboard.html", context)


class RunListView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segmentationrun"

    def get(self, request):
        return self._render(request, RunStartForm())

    def post(self, request):
        if not request.user.has_perm("segmentation.start_run"):
            raise PermissionDenied
        form = RunStartForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            run = segmentation_run_start(started_by=request.user, **form.run_parameters())
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, form, status=400)
        except ServiceUnavailable as error:
            form.add_error(None, str(error))
            return self._render(request, form, status=503)
        return redirect("segmentation:run", pk=run.pk)

    def _render(self, request, form, status=200):
        page = Paginator(runs_with_starters(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "segmentation/run_list.html", {"page": page, "form": form}, status=status)


def _run_context(pk: int) -> dict:
    run = run_as_seen(get_object_or_404(runs_with_starters(), pk=pk))
    segments = run_segments(run=run)
    context = {"run": run, "segments": segments}
    if run.status == SegmentationRun.Status.SUCCEEDED:
        context["chart_data"] = run_chart_data(run=run, segments=segments)
        context["top_campaigns"] = top_campaigns(run, segments)
        tree = (run.fit_details or {}).get("dendrogram")
        context["dendrogram"] = dendrogram_drawing(dendrogram=tree, k=run.k) if tree else None
    return context


class RunDetailView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segmentationrun"

    def get(self, request, pk):
        context = _run_context(pk)
        run = context["run"]
        context["can_cancel"] = not run.is_finished and run.may_be_cancelled_by(request.user)
        context["history"] = object_history(obj=run)
        return render(request, "segmentation/run_detail.html", context)


class RunResultsView(PermissionRequiredMixin, View):
    """The results part of a run's page, fetched by the page once the run has finished."""

    permission_required = "segmentation.view_segmentationrun"

    def get(self, request, pk):
        return render(request, "segmentation/_run_results.html", _run_context(pk))


class RunStatusView(JobStatusView):
    permission_required = "segmentation.view_segmentationrun"
    model = SegmentationRun


class RunActionView(PermissionRequiredMixin, View):
    """POST only: apply a service to a run, say how it went, and go back to the run's page."""

    success_message = ""

    def act(self, run: SegmentationRun, user) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        run = get_object_or_404(SegmentationRun, pk=pk)
        try:
            self.act(run, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message.format(run=run))
        return redirect("segmentation:run", pk=run.pk)


class RunActivateView(RunActionView):
    permission_required = "segmentation.activate_run"
    success_message = "Run {run.pk} is now the active segmentation."

    def act(self, run, user):
        segmentation_run_activate(run=run, activated_by=user)


class RunCancelView(RunActionView):
    permission_required = "segmentation.view_segmentationrun"  # the service checks who may cancel
    success_message = "Run {run.pk} was cancelled."

    def act(self, run, user):
        segmentation_run_cancel(run=run, user=user)


class SegmentListView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segment"

    def get(self, request):
        run, segments = active_run_segments()
        context = {
            "run": run,
            "segments": segments,
            "top_campaigns": top_campaigns(run, segments) if run else {},
        }
        return render(request, "segmentation/segment_list.html", context)


class SegmentDetailView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segment"

    def get(self, request, pk):
        related = segments_with_personas().select_related("run", "continues", "edited_by")
        segment = get_object_or_404(related, pk=pk)
        uncertain_only = request.GET.get("uncertain") == "1"
        members = keyset_page(
            segment_members(segment=segment, uncertain_only=uncertain_only),
            key="customer_id",
            after=cursor_param(request, "after"),
            before=cursor_param(request, "before"),
            size=MEMBERS_PER_PAGE,
        )
        context = {
            "segment": segment,
            "run": segment.run,
            "members": members,
            "profile": _profile_rows(segment),
            "ranked_campaigns": segment_campaigns_ranked(segment),
            "uncertain_only": uncertain_only,
            "uncertain_below": Assignment.UNCERTAIN_BELOW,
            "links": page_links(page=SEGMENT_PAGE, user=request.user, query=f"segment={segment.pk}"),
        }
        return render(request, "segmentation/segment_detail.html", context)


def _profile_rows(segment) -> list[dict]:
    """Each numeric feature of the run: the segment's mean and median against the population's."""
    population = segment.run.population or {}
    return [
        {
            "feature": feature.replace("_", " "),
            "mean": mean,
            "median": segment.medians.get(feature),
            "level": segment.levels.get(feature),
            "population_mean": population.get(feature, {}).get("mean"),
            "population_median": population.get(feature, {}).get("median"),
        }
        for feature, mean in segment.centroid.items()
    ]


class SegmentExportView(PermissionRequiredMixin, View):
    permission_required = "segmentation.export_audience"

    def get(self, request, pk):
        return audience_csv_response(get_object_or_404(segments_with_personas(), pk=pk))


class PredictPageView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segment"

    def get(self, request):
        run, segments = active_run_segments()
        links = page_links(page=PREDICT_PAGE, user=request.user)
        if run is None:
            return render(request, "segmentation/predict.html", {"run": None, "links": links})
        form = PredictForm(request.GET or None, run=run)
        context = {
            "run": run,
            "form": form,
            "chart_data": run_chart_data(run=run, segments=segments),
            "links": links,
        }
        if form.is_bound and form.is_valid():
            try:
                advice = values_advice(values=form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                context.update(match=advice.match, recommendations=advice.recommendations)
        status = 400 if form.is_bound and form.errors else 200
        if "match" in context:
            context["chart_data"]["point"] = form.cleaned_data
        return render(request, "segmentation/predict.html", context, status=status)


def customer_segment_panel(customer: Customer) -> dict:
    """The context of the Segment panel on a customer's page (registered in ``apps.py``)."""
    advice = customer_advice(customer=customer)
    return {"advice": advice, "left_out_of": None if advice else run_leaving_out(customer=customer)}
