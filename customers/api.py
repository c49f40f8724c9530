"""REST API of the customer book: customers and imports."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import UnprocessableError
from core.api.fields import StrictModelSerializer
from core.api.filters import FloatFilter, IntegerFilter, NoBlankChoicesOrNumbersForm
from core.api.pagination import IdCursorPagination
from core.api.permissions import ModelPermissions, requires
from core.api.routing import IdLookup
from core.api.schema import TOO_LARGE_RESPONSE, UNPROCESSABLE_RESPONSE, page_size_errors, refuses_duplicates
from core.api.writes import ServiceWritesMixin, WriteServices
from customers.models import Customer, Gender
from customers.services import customer_create, customer_delete, customer_update, customers_import


class CustomerSerializer(StrictModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "external_id",
            "gender",
            "age",
            "annual_income",
            "spending_score",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


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
@page_size_errors()
class CustomerViewSet(IdLookup, ServiceWritesMixin, viewsets.ModelViewSet):
    """Customers; reading needs the view permission, writing is for staff."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    filterset_class = CustomerValueFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    write_services = WriteServices(create=customer_create, update=customer_update, delete=customer_delete)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV or XLSX in the Mall Customers layout or snake_case headers.",
        allow_empty_file=True,  # the import refuses it (422), naming the file, like any unusable content
    )
    skip_invalid = serializers.BooleanField(default=False)


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


class ImportView(APIView):
    """Import a customer file (multipart). All or nothing unless skip_invalid is true.

    A file whose content is refused (unreadable, or rows that are not valid customers) is a
    422 listing the problems by row, column and value; nothing is written.
    """

    permission_classes = [requires("customers.import_customers")]
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request=ImportRequestSerializer,
        responses={200: ImportReportSerializer, 413: TOO_LARGE_RESPONSE, 422: UNPROCESSABLE_RESPONSE},
    )
    def post(self, request):
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        report = customers_import(
            file=upload.file, file_name=upload.name, skip_invalid=form.validated_data["skip_invalid"]
        )
        if report.rejected:
            raise UnprocessableError({"file": [report.summary(), *(str(issue) for issue in report.issues)]})
        return Response(ImportReportSerializer(report).data, status=status.HTTP_200_OK)
