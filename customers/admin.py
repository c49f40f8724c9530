from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.exceptions import ServiceUnavailable
from core.pagination import EstimatedCountPaginator
from customers.bands import band_choices, band_q
from customers.forms import CustomerImportForm
from customers.import_jobs import customer_import_start
from customers.models import Customer, CustomerAttribute, CustomerImport, Purchase


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
        """Queue an import of the chosen file, then show its progress on the portal's import page."""
        if not request.user.has_perm("customers.import_customers"):
            raise PermissionDenied
        form = CustomerImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = customer_import_start(
                    started_by=request.user, upload=form.cleaned_data["file"], **form.options()
                )
            except ValidationError as error:
                form.add_error(None, error)
            except ServiceUnavailable as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"{job.file_name} is being imported.", messages.SUCCESS)
                return redirect(job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import customers",
            "form": form,
            "changelist_url": reverse("admin:customers_customer_changelist"),
        }
        return TemplateResponse(request, "admin/customers/customer/import.html", context)


@admin.register(CustomerAttribute)
class CustomerAttributeAdmin(admin.ModelAdmin):
    """Attributes of the mall's own: customer imports fill them from the column of that name or label."""

    list_display = ("name", "label", "unit", "min_value", "max_value")
    search_fields = ("name", "label")


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    """Receipt lines. Files of them come in through Customers › Import (purchases)."""

    list_display = ("purchase_id", "line", "customer", "purchased_at", "amount", "store", "category")
    list_select_related = ("customer",)
    search_fields = ("=purchase_id", "=customer__external_id")
    search_help_text = "Exact purchase ID or customer ID."
    raw_id_fields = ("customer",)
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


@admin.register(CustomerImport)
class CustomerImportAdmin(admin.ModelAdmin):
    """Imports are a record of what happened: read-only, and started from the import page."""

    list_display = ("__str__", "kind", "status", "started_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    list_select_related = ("started_by",)
    search_fields = ("file_name",)
    fields = (
        "file_name", "kind", "file_size", "skip_invalid", "date_format", "status", "progress", "step",
        "error", "started_by", "created_at", "started_at", "finished_at", "heartbeat_at", "report",
    )  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
