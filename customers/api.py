"""REST API of the customer book: customers, their segment and recommendations, and imports."""

import re

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Customer, Gender
from customers.services import customer_create, customer_update, customers_import
from mallseg.api import (
    CONFLICT_RESPONSE,
    UNPROCESSABLE_RESPONSE,
    IdCursorPagination,
    IdLookup,
    ModelPermissions,
    StrictModelSerializer,
    UnprocessableError,
    page_size_errors,
    refuses_duplicates,
    requires,
)
from mallseg.exceptions import Conflict
from segmentation.api import CustomerSegmentSerializer
from segmentation.recommendations import customer_recommendations
from segmentation.selectors import customer_segment


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


class StrictIntegerField(forms.IntegerField):
    """Digits only: "0.0" or "1e3" are not whole numbers here, unlike Django's IntegerField."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"\s*[+-]?[0-9]+\s*", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ClampedNumberFilter(django_filters.NumberFilter):
    """Any number the schema allows, clamped to what the database can compare.

    Clamping changes no result (no customer value comes near the limits) and keeps huge
    values from overflowing a database integer.
    """

    limit = 2**62

    def get_max_validator(self):
        return None

    @classmethod
    def clamp(cls, value):
        return min(max(value, -cls.limit), cls.limit)

    def filter(self, qs, value):
        return super().filter(qs, value if value is None else self.clamp(value))


class IntegerFilter(ClampedNumberFilter):
    field_class = StrictIntegerField


class FloatFilter(ClampedNumberFilter):
    field_class = forms.FloatField


class NoBlankChoicesOrNumbersForm(forms.Form):
    """Refuses a number or choice filter given without a value (``?age_max=``): ignoring it
    would hide a client's mistake, and the schema promises a number or a choice there. The
    error codes are the fields' own for a bad value, as the schema documents them."""

    valued_fields = (forms.IntegerField, forms.FloatField, forms.ChoiceField)

    def clean(self):
        for name, field in self.fields.items():
            if isinstance(field, self.valued_fields) and self.data.get(name) == "":
                code = "invalid_choice" if isinstance(field, forms.ChoiceField) else "invalid"
                self.add_error(name, forms.ValidationError("Give a value, or leave it out.", code=code))
        return super().clean()


class CustomerFilter(django_filters.FilterSet):
    external_id = django_filters.CharFilter(help_text="Exact customer ID.")
    gender = django_filters.ChoiceFilter(choices=Gender.choices)
    age_min = IntegerFilter(field_name="age", lookup_expr="gte")
    age_max = IntegerFilter(field_name="age", lookup_expr="lte")
    income_min = FloatFilter(field_name="annual_income", lookup_expr="gte")
    income_max = FloatFilter(field_name="annual_income", lookup_expr="lte")
    spending_min = IntegerFilter(field_name="spending_score", lookup_expr="gte")
    spending_max = IntegerFilter(field_name="spending_score", lookup_expr="lte")
    segment = IntegerFilter(method="filter_segment", help_text="Segment id in the active run.")

    class Meta:
        model = Customer
        fields = ["external_id", "gender"]
        form = NoBlankChoicesOrNumbersForm

    def filter_segment(self, queryset, name, value: int):
        segment = IntegerFilter.clamp(value)  # a method filter skips IntegerFilter.filter
        return queryset.filter(assignments__segment_id=segment, assignments__run__is_active=True)


@refuses_duplicates
@page_size_errors()
class CustomerViewSet(IdLookup, viewsets.ModelViewSet):
    """Customers; reading needs the view permission, writing is for staff."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination
    filterset_class = CustomerFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def perform_create(self, serializer):
        serializer.instance = customer_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = customer_update(customer=serializer.instance, **serializer.validated_data)

    @extend_schema(responses={200: CustomerSegmentSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["get"])
    def segment(self, request, pk=None):
        """The customer's segment in the active run, its persona, and campaigns with their reasons."""
        customer = self.get_object()
        match = customer_segment(customer=customer)
        if match is None:
            raise Conflict("No segmentation is active yet: start a run and make it active first.")
        payload = {
            "customer": customer.pk,
            "run": match.run.pk,
            "segment": match.segment,
            "distance": match.distance,
            "placed": match.placed,
            "recommendations": customer_recommendations(customer=customer, match=match),
        }
        return Response(CustomerSegmentSerializer(payload).data)


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
        request=ImportRequestSerializer, responses={200: ImportReportSerializer, 422: UNPROCESSABLE_RESPONSE}
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
