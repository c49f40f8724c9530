"""Following customers between runs: who moved where (a heat table), the customers behind one
cell with their export, and editing a segment (what later runs keep)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.forms import form_add_service_errors
from core.pagination import cursor_param, keyset_page
from customers.models import Customer
from segmentation.exports import moved_csv_response
from segmentation.forms import SegmentEditForm
from segmentation.models import Segment, SegmentationRun
from segmentation.selectors.moves import customer_segment_history, moved_members, run_moves
from segmentation.selectors.segments import segments_with_personas
from segmentation.services.segments import segment_edit

MEMBERS_PER_PAGE = 50


class RunMovesView(PermissionRequiredMixin, View):
    """``runs/<pk>/moves/?from=<run>``: customers of the earlier run by their segment there and in
    this run. Without ``from``, the run this one was matched to when it finished."""

    permission_required = "segmentation.view_segmentationrun"

    def get(self, request, pk):
        run = get_object_or_404(SegmentationRun, pk=pk)
        offered = SegmentationRun.objects.filter(status=SegmentationRun.Status.SUCCEEDED).exclude(pk=pk)[:20]
        context = {"run": run, "offered": offered}
        earlier_id = request.GET.get("from") or run.matched_to_id
        if earlier_id is None:
            return render(request, "segmentation/run_moves.html", context)
        try:
            earlier = SegmentationRun.objects.get(pk=int(earlier_id))
            context["moves"] = run_moves(first=earlier, second=run)
        except (ValueError, OverflowError, SegmentationRun.DoesNotExist):
            context["error"] = f"There is no run {earlier_id}."
        except ValidationError as error:
            context["error"] = error.messages[0]
        return render(
            request, "segmentation/run_moves.html", context, status=400 if "error" in context else 200
        )


def _cell(source_pk: int, target_pk: int) -> tuple[Segment, Segment]:
    """Two segments of two different runs, or 404."""
    segments = segments_with_personas().select_related("run")
    source, target = get_object_or_404(segments, pk=source_pk), get_object_or_404(segments, pk=target_pk)
    if source.run_id == target.run_id:
        raise Http404("Moves are between segments of two different runs.")
    return source, target


class MovedCustomersView(PermissionRequiredMixin, View):
    """The customers who were in one segment and are in another (one cell of the heat table)."""

    permission_required = "segmentation.view_segment"

    def get(self, request, source_pk, target_pk):
        source, target = _cell(source_pk, target_pk)
        members = keyset_page(
            moved_members(source=source, target=target),
            key="customer_id",
            after=cursor_param(request, "after"),
            before=cursor_param(request, "before"),
            size=MEMBERS_PER_PAGE,
        )
        context = {"source": source, "target": target, "members": members}
        return render(request, "segmentation/moved_customers.html", context)


class MovedCustomersExportView(PermissionRequiredMixin, View):
    permission_required = "segmentation.export_audience"

    def get(self, request, source_pk, target_pk):
        return moved_csv_response(*_cell(source_pk, target_pk))


class SegmentEditView(PermissionRequiredMixin, View):
    permission_required = "segmentation.change_segment"

    def get(self, request, pk):
        segment = get_object_or_404(segments_with_personas().select_related("run"), pk=pk)
        form = SegmentEditForm(
            initial={"name": segment.name, "persona": segment.persona, "note": segment.note}
        )
        return render(request, "segmentation/segment_edit.html", {"segment": segment, "form": form})

    def post(self, request, pk):
        segment = get_object_or_404(segments_with_personas().select_related("run"), pk=pk)
        form = SegmentEditForm(request.POST)
        if form.is_valid():
            try:
                segment_edit(segment=segment, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"Saved. Later runs keep “{segment.name}” for this segment.")
                return redirect("segmentation:segment", pk=segment.pk)
        return render(
            request, "segmentation/segment_edit.html", {"segment": segment, "form": form}, status=400
        )


def customer_history_panel(customer: Customer) -> dict:
    """The customer page's panel: the customer's segment in every run, oldest first."""
    return {"history": customer_segment_history(customer=customer)}
