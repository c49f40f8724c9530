from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import render
from django.views import View
from django.views.generic import DetailView

from core.pagination import cursor_param, keyset_page
from customers.filters import CustomerBandFilter
from customers.forms import CustomerImportForm
from customers.models import Customer
from customers.panels import customer_panels_render
from customers.services import customers_import

PAGE_SIZE = 50


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
    permission_required = "customers.view_customer"
    model = Customer
    context_object_name = "customer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = customer_panels_render(customer=self.object, request=self.request)
        return context


class CustomerImportView(PermissionRequiredMixin, View):
    permission_required = "customers.import_customers"
    template_name = "customers/customer_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CustomerImportForm()})

    def post(self, request):
        form = CustomerImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        report = customers_import(
            file=upload.file, file_name=upload.name, skip_invalid=form.cleaned_data["skip_invalid"]
        )
        status = 400 if report.rejected else 200
        return render(
            request, self.template_name, {"form": CustomerImportForm(), "report": report}, status=status
        )
