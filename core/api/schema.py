"""What the OpenAPI schema says about refusals: the error body, 409 and 422 answers, page_size."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text="The field at fault; null for the whole request.")


class RefusalResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["client_error", "validation_error", "server_error"])
    errors = ErrorItemSerializer(many=True)


CONFLICT_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="Conflicts with stored data or state: a value already taken, no active run, a finished run.",
)
UNAVAILABLE_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="A service the request needs (the job queue) cannot be reached; nothing was started.",
)
TOO_LARGE_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="The request body is larger than the largest accepted upload; none of it was read.",
)
UNPROCESSABLE_RESPONSE = OpenApiResponse(
    RefusalResponseSerializer,
    description="Matches the schema but breaks a rule it cannot state; the errors name the field and rule.",
)


def page_size_errors(*actions: str):
    """Document that these paginated actions may refuse a malformed page_size (400)."""
    return extend_validation_errors(["invalid"], field_name="page_size", actions=list(actions) or ["list"])


def refuses_duplicates(viewset_class):
    """Document the 409 that the viewset's create and updates answer when a unique value is taken."""

    def answers(status: int):
        return extend_schema(responses={status: viewset_class.serializer_class, 409: CONFLICT_RESPONSE})

    document = extend_schema_view(create=answers(201), update=answers(200), partial_update=answers(200))
    return document(viewset_class)
