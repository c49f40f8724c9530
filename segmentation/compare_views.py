"""Runs side by side (``selectors.comparison``) and over time (``selectors.evolution``)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views import View

from segmentation.models import SegmentationRun
from segmentation.selectors.comparison import MAX_COMPARED_RUNS, runs_comparison
from segmentation.selectors.evolution import segments_evolution

RECENT_RUNS_OFFERED = 20


class RunCompareView(PermissionRequiredMixin, View):
    """``?runs=3&runs=5``: the comparison; without runs (or with a bad choice), the choice itself."""

    permission_required = "segmentation.view_segmentationrun"

    def get(self, request):
        chosen = request.GET.getlist("runs")
        context = {
            "offered": SegmentationRun.objects.filter(status=SegmentationRun.Status.SUCCEEDED)[
                :RECENT_RUNS_OFFERED
            ],
            "chosen": chosen,
            "max_runs": MAX_COMPARED_RUNS,
        }
        if not chosen:
            return render(request, "segmentation/compare.html", context)
        try:
            context["comparison"] = runs_comparison(run_ids=[int(run_id) for run_id in chosen])
        except (ValueError, ValidationError) as error:
            context["error"] = (
                error.messages[0] if isinstance(error, ValidationError) else "Runs are chosen by number."
            )
            return render(request, "segmentation/compare.html", context, status=400)
        return render(request, "segmentation/compare.html", context)


class SegmentEvolutionView(PermissionRequiredMixin, View):
    """Segment sizes, by identity, across the successive active runs, and each run's quality."""

    permission_required = "segmentation.view_segmentationrun"

    def get(self, request):
        evolution = segments_evolution()
        return render(
            request,
            "segmentation/evolution.html",
            {"evolution": evolution, "chart_data": evolution.chart_data()},
        )
