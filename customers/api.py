"""REST API of the customer book: customers, and imports (background jobs)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import UnprocessableError
from core.api.fields import StrictBooleanField, StrictCharField, StrictModelSerializer
from core.api.filters import FloatFilter, IntegerFilter, NoBlankChoicesOrNumbersForm
from core.api.pagination import IdCursorPagination
from core.api.permissions import ModelPermissions, requires
from core.api.routing import IdLookup
from core.api.schema import (
    CONFLICT_RESPONSE,
    TOO_LARGE_RESPONSE,
    UNAVAILABLE_RESPONSE,
    UNPROCESSABLE_RESPONSE,
    page_size_errors,
    refuses_duplicates,
)
from core.api.writes import ServiceWritesMixin, WriteServices
from core.jobs.lifecycle import job_as_seen
from customers.forms import DATE_FORMAT_HELP, clean_date_format
from customers.import_jobs import customer_import_cancel, customer_import_start
from customers.models import Customer, CustomerBehaviour, CustomerImport, Gender, ImportKind, Purchase
from customers.services import customer_create, customer_delete, customer_update


class BehaviourSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerBehaviour
        fields = [
            "recency_days", "frequency", "monetary", "avg_basket", "tenure_days", "first_purchase_at",
            "last_purchase_at", "as_of", "window_days",
        ]  # fmt: skip


class CustomerSerializer(StrictModelSerializer):
    attributes = serializers.SerializerMethodField(
        help_text="Values of the mall's declared attributes, by attribute name (absent: no value)."
    )
    behaviour = BehaviourSerializer(
        read_only=True,
        allow_null=True,
        help_text="What the customer's purchases say (null: no purchases; values are never imputed).",
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "gender",
            "age",
            "annual_income",
            "spending_score",
            "attributes",
            "behaviour",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "attributes", "behaviour", "created_at", "updated_at"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
    def get_attributes(self, customer: Customer) -> dict[str, float]:
        return {value.attribute.name: value.value for value in customer.attribute_values.all()}


class PurchaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Purchase
        fields = ["id", "purchase_id", "line", "purchased_at", "amount", "store", "category"]


class CustomerValueFilter(django_filters.FilterSet):
    """The API's customer filters: exact values and ranges of each column."""

    external_id = django_filters.CharFilter(help_text="Exact customer ID.")
    gender = django_filters.ChoiceFilter(choices=Gender.choices)
    age_min = IntegerFilter(field_name="age", lookup_expr="gte")
    age_max = IntegerFilter(field_name="age", lookup_expr="lte")
    income_min = FloatFilter(field_name="annual_income", lookup_expr="gte")
    income_max = FloatFilter(field_name="annual_income", lookup_expr="lte")
    spending_min = IntegerFilter(field_name="spending_score", lookup_expr="gte")
    spending_max = IntegerFilter(field_name="spending_score", lookup_expr="lte")

    class Meta:
        model = Customer
        fields = ["external_id", "gender"]
        form = NoBlankChoicesOrNumbersForm


@refuses_duplicates
@page_size_errors("list", "purchases")
class CustomerViewSet(IdLookup, ServiceWritesMixin, viewsets.ModelViewSet):
    """Customers; reading needs the view permission, writing is for staff."""

    queryset = Customer.objects.select_related("behaviour").prefetch_related("attribute_values__attribute")
    serializer_class = CustomerSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    filterset_class = CustomerValueFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    write_services = WriteServices(create=customer_create, update=customer_update, delete=customer_delete)

    @extend_schema(responses={200: PurchaseSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=IdCursorPagination, filterset_class=None)
    def purchases(self, request, pk=None):
        """The customer's purchase lines, a page at a time (lines of one receipt share its purchase_id)."""
        lines = Purchase.objects.filter(customer=self.get_object())
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(PurchaseSerializer(page, many=True).data)


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices, default=ImportKind.CUSTOMERS)
    file = serializers.FileField(
        help_text=(
            "CSV or XLSX. Customers: the Mall Customers layout or snake_case headers. Purchases: "
            "CustomerID, InvoiceNo, InvoiceDate, Amount (or Quantity and UnitPrice), optional Store "
            "and Category."
        ),
        allow_empty_file=True,  # the import refuses it, naming the file, like any unusable content
    )
    skip_invalid = StrictBooleanField(default=False)
    date_format = StrictCharField(
        max_length=50, required=False, default="", allow_blank=True, help_text=DATE_FORMAT_HELP
    )


class ImportIssueSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    rows_read = serializers.IntegerField()
    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    skipped = serializers.IntegerField()
    issues = ImportIssueSerializer(many=True)
    issue_count = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class ImportSerializer(StrictModelSerializer):
    started_by = serializers.CharField(source="started_by.get_username", allow_null=True, default=None)
    url = serializers.SerializerMethodField()
    report = ImportReportSerializer(
        source="outcome_report",
        allow_null=True,
        read_only=True,
        help_text="Once the file has been read: what was written, or why nothing was (null before).",
    )

    class Meta:
        model = CustomerImport
        fields = [
            "id", "url", "kind", "status", "progress", "step", "error", "file_name", "file_size",
            "skip_invalid", "date_format", "started_by", "created_at", "started_at", "finished_at", "report",
        ]  # fmt: skip

    def get_url(self, job: CustomerImport) -> str:
        return reverse("api:import-detail", kwargs={"pk": job.pk})


@page_size_errors()
class ImportViewSet(IdLookup, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Imports of customers or purchase lines. Posting a file (multipart) stores it and queues its
    import on a worker: the answer is 202 with the import's URL, which shows its progress and,
    once it has ended, its report. All or nothing unless skip_invalid is true."""

    queryset = CustomerImport.objects.select_related("started_by")
    serializer_class = ImportSerializer
    pagination_class = IdCursorPagination
    permission_classes = [requires("customers.import_customers")]
    parser_classes = [parsers.MultiPartParser]

    def get_object(self):
        return job_as_seen(super().get_object())

    def paginate_queryset(self, queryset):
        return [job_as_seen(job) for job in super().paginate_queryset(queryset)]

    @extend_schema(
        request=ImportRequestSerializer,
        responses={
            202: ImportSerializer,
            409: CONFLICT_RESPONSE,
            413: TOO_LARGE_RESPONSE,
            422: UNPROCESSABLE_RESPONSE,
            503: UNAVAILABLE_RESPONSE,
        },
    )
    def create(self, request, *args, **kwargs):
        """A date_format that cannot read dates (no year, an unknown code) is a 422."""
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        options = form.validated_data
        try:
            date_format = clean_date_format(options["date_format"])
        except DjangoValidationError as error:
            raise UnprocessableError({"date_format": error.messages}) from error
        job = customer_import_start(
            started_by=request.user,
            upload=options["file"],
            kind=options["kind"],
            skip_invalid=options["skip_invalid"],
            date_format=date_format,
        )
        body = ImportSerializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={200: ImportSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running import (the user who started it, or staff); nothing is written."""
        return Response(
            ImportSerializer(customer_import_cancel(job=self.get_object(), user=request.user)).data
        )
