from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.pagination import EstimatedCountPaginator
from customers.bands import band_choices, band_q
from customers.forms import CustomerImportForm
from customers.models import Customer
from customers.services import customers_import


def band_filter(field: str, title: str) -> type[admin.SimpleListFilter]:
    """An admin list filter offering the shared bands of ``field``."""

    class BandFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_band"

        def lookups(self, request, model_admin):
            return band_choices(field)

        def queryset(self, request, queryset):
            return queryset.filter(band_q(field, self.value())) if self.value() else queryset

    BandFilter.title = title
    return BandFilter


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("external_id", "gender", "age", "annual_income", "spending_score", "updated_at")
    list_filter = (
        "gender",
        band_filter("age", "age"),
        band_filter("annual_income", "annual income"),
        band_filter("spending_score", "spending score"),
    )
    search_fields = ("=external_id",)
    search_help_text = "Exact customer ID."
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    change_list_template = "admin/customers/customer/change_list.html"

    def get_urls(self):
        import_url = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="customers_customer_import",
        )
        return [import_url, *super().get_urls()]

    def import_view(self, request):
        if not request.user.has_perm("customers.import_customers"):
            raise PermissionDenied
        form = CustomerImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = customers_import(
                file=upload.file, file_name=upload.name, skip_invalid=form.cleaned_data["skip_invalid"]
            )
            self.message_user(
                request, report.summary(), messages.ERROR if report.rejected else messages.SUCCESS
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import customers",
            "form": form,
            "report": report,
            "changelist_url": reverse("admin:customers_customer_changelist"),
        }
        return TemplateResponse(request, "admin/customers/customer/import.html", context)
