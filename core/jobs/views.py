"""What every job's page polls while the job is queued or running."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from core.jobs.lifecycle import job_as_seen
from core.jobs.models import Job


class JobStatusView(PermissionRequiredMixin, View):
    """Small JSON polled by a job's page (static/js/job-progress.js). Subclasses set ``model``."""

    model: type[Job]

    def get(self, request, pk):
        job = job_as_seen(get_object_or_404(self.model, pk=pk))
        return JsonResponse(
            {
                "status": job.status,
                "statusLabel": job.get_status_display(),
                "progress": job.progress,
                "step": job.step,
                "finished": job.is_finished,
                "error": job.error,
            }
        )
