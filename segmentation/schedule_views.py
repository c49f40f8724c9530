"""Re-segmentation schedules on the portal, for Marketing: list, create, change, pause, delete."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from core.forms import form_add_service_errors
from segmentation.forms import ScheduleForm
from segmentation.models import SegmentationSchedule
from segmentation.selectors.schedules import schedules_with_last_runs
from segmentation.services.schedules import schedule_delete, schedule_save


def _form_page(
    request, form: ScheduleForm, schedule: SegmentationSchedule | None = None, *, status: int = 200
):
    return render(
        request, "segmentation/schedule_form.html", {"form": form, "schedule": schedule}, status=status
    )


def _saved_or_form(request, form: ScheduleForm, schedule: SegmentationSchedule | None):
    if form.is_valid():
        try:
            saved = schedule_save(user=request.user, schedule=schedule, **form.schedule_arguments())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Schedule “{saved.name}” saved: {saved.when_in_words.lower()}.")
            return redirect("segmentation:schedules")
    return _form_page(request, form, schedule, status=400)


class ScheduleListView(PermissionRequiredMixin, View):
    permission_required = "segmentation.view_segmentationschedule"

    def get(self, request):
        return render(request, "segmentation/schedules.html", {"schedules": schedules_with_last_runs()})


class ScheduleCreateView(PermissionRequiredMixin, View):
    permission_required = "segmentation.add_segmentationschedule"

    def get(self, request):
        return _form_page(request, ScheduleForm())

    def post(self, request):
        return _saved_or_form(request, ScheduleForm(request.POST), None)


class ScheduleChangeView(PermissionRequiredMixin, View):
    permission_required = "segmentation.change_segmentationschedule"

    def get(self, request, pk):
        schedule = get_object_or_404(
            SegmentationSchedule.objects.select_related("periodic_task__crontab"), pk=pk
        )
        return _form_page(request, ScheduleForm.for_schedule(schedule), schedule)

    def post(self, request, pk):
        schedule = get_object_or_404(SegmentationSchedule, pk=pk)
        return _saved_or_form(request, ScheduleForm(request.POST), schedule)


class ScheduleDeleteView(PermissionRequiredMixin, View):
    permission_required = "segmentation.delete_segmentationschedule"

    def post(self, request, pk):
        schedule = get_object_or_404(SegmentationSchedule, pk=pk)
        schedule_delete(user=request.user, schedule=schedule)
        messages.success(request, f"Schedule “{schedule.name}” deleted; the runs it started stay.")
        return redirect("segmentation:schedules")
