"""The audit trail page, for staff: who imported, started, cancelled or activated what, and who
changed personas, campaigns, segments, customers or schedules, and when."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import render
from django.views import View

from audit.selectors import audit_trail, audited_models
from core.pagination import cursor_param


class AuditTrailView(PermissionRequiredMixin, View):
    permission_required = "auditlog.view_logentry"

    def get(self, request):
        models = audited_models()
        model = request.GET.get("model", "")
        model = model if model in dict(models) else ""
        actor = request.GET.get("actor", "").strip()[:150]
        page = audit_trail(model=model, actor=actor, older_than=cursor_param(request, "older_than"))
        context = {"page": page, "models": models, "model": model, "actor": actor}
        return render(request, "audit/trail.html", context)
