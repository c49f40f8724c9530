from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView

from core.exceptions import ServiceUnavailable
from core.history import object_history
from core.jobs.lifecycle import job_as_seen
from core.jobs.views import JobStatusView
from core.pagination import cursor_param, keyset_page
from customers.filters import CustomerBandFilter
from customers.forms import CustomerImportForm
from customers.import_jobs import customer_import_cancel, customer_import_start
from customers.models import Customer, CustomerImport
from customers.panels import customer_panels_render
from customers.purchase_history import purchase_history

PAGE_SIZE = 50
RECENT_IMPORTS = 10


def recent_imports():
    """Imports, newest first, with who started each."""
    return CustomerImport.objects.select_related("started_by")


class CustomerListView(PermissionRequiredMixin, View):
    permission_required = "customers.view_customer"

    def get(self, request):
        customer_filter = CustomerBandFilter(request.GET, queryset=Customer.objects.all())
        page = keyset_page(
            customer_filter.qs,
            key="pk",
            after=cursor_param(request, "after"),
            before=cursor_param(request, "before"),
            size=PAGE_SIZE,
        )
        query = request.GET.copy()
        for cursor in ("after", "before"):
            query.pop(cursor, None)
        return render(
            request,
            "customers/customer_list.html",
            {"filter": customer_filter, "page": page, "filter_query": query.urlencode()},
        )


class CustomerDetailView(PermissionRequiredMixin, DetailView):
    """A customer's values, purchase history (paged by ``?after=`` / ``?before=``) and the panels
    other apps register."""

    permission_required = "customers.view_customer"
    model = Customer
    context_object_name = "customer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purchase_history"] = purchase_history(
            customer=self.object,
            after=cursor_param(self.request, "after"),
            before=cursor_param(self.request, "before"),
        )
        context["attribute_values"] = self.object.attribute_values.select_related("attribute")
        context["panels"] = customer_panels_render(customer=self.object, request=self.request)
        return context


class CustomerImportView(PermissionRequiredMixin, View):
    """Upload a file: it is stored and imported by a worker, and the import's page shows its progress."""

    permission_required = "customers.import_customers"
    template_name = "customers/customer_import.html"

    def get(self, request):
        return self._render(request, CustomerImportForm())

    def post(self, request):
        form = CustomerImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            job = customer_import_start(
                started_by=request.user, upload=form.cleaned_data["file"], **form.options()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(request, form, status=409)
        except ServiceUnavailable as error:
            form.add_error(None, str(error))
            return self._render(request, form, status=503)
        return redirect(job)

    def _render(self, request, form, status=200):
        context = {"form": form, "imports": recent_imports()[:RECENT_IMPORTS]}
        return render(request, self.template_name, context, status=status)


class ImportDetailView(PermissionRequiredMixin, View):
    permission_required = "customers.import_customers"

    def get(self, request, pk):
        job = _import_as_seen(pk)
        context = {
            "job": job,
            "can_cancel": not job.is_finished and job.may_be_cancelled_by(request.user),
            "history": object_history(obj=job),
        }
        return render(request, "customers/import_detail.html", context)


class ImportOutcomeView(PermissionRequiredMixin, View):
    """The outcome part of an import's page, fetched by the page once the import has ended."""

    permission_required = "customers.import_customers"

    def get(self, request, pk):
        return render(request, "customers/_import_outcome.html", {"job": _import_as_seen(pk)})


class ImportStatusView(JobStatusView):
    permission_required = "customers.import_customers"
    model = CustomerImport


class ImportCancelView(PermissionRequiredMixin, View):
    permission_required = "customers.import_customers"  # the service checks who may cancel

    def post(self, request, pk):
        job = get_object_or_404(CustomerImport, pk=pk)
        try:
            customer_import_cancel(job=job, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Import {job.pk} was cancelled; nothing was written.")
        return redirect(job)


def _import_as_seen(pk: int) -> CustomerImport:
    return job_as_seen(get_object_or_404(recent_imports(), pk=pk))
