"""The customer book's endpoint, extended with what segmentation knows of a customer.

The customer book (``customers.api``) knows nothing of segments; this module adds the
``?segment=`` filter and ``customers/{id}/segment/``, and ``mallseg/api_urls.py`` serves
``customers/`` with this viewset.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import BooleanFilter, IntegerFilter
from core.api.schema import CONFLICT_RESPONSE
from core.exceptions import Conflict
from customers.api import CustomerValueFilter, CustomerViewSet
from segmentation.api.predict import PredictionSerializer
from segmentation.models import Assignment
from segmentation.selectors.matches import NO_ACTIVE_RUN, customer_advice, run_leaving_out

LEFT_OUT = (
    "This customer has no {lacking}, which the active segmentation groups customers by, so they are in "
    "no segment."
)


class CustomerSegmentSerializer(PredictionSerializer):
    customer = serializers.IntegerField()
    placed = serializers.BooleanField(
        source="match.placed", help_text="True: placed by nearest centre after the run, not clustered."
    )
    probability = serializers.FloatField(
        source="match.probability",
        allow_null=True,
        help_text="Gaussian mixtures: how likely this segment is.",
    )
    uncertain = serializers.BooleanField(
        source="match.uncertain", help_text="True: a Gaussian mixture is unsure of this customer's segment."
    )


class CustomerInSegmentFilter(CustomerValueFilter):
    segment = IntegerFilter(method="filter_segment", help_text="Segment id in the active run.")
    uncertain = BooleanFilter(
        method="filter_uncertain",
        help_text="true: customers whose segment in the active run a Gaussian mixture is unsure of.",
    )

    def filter_segment(self, queryset, name, value: int):
        segment = IntegerFilter.clamp(value)  # a method filter skips IntegerFilter.filter
        return queryset.filter(assignments__segment_id=segment, assignments__run__is_active=True)

    def filter_uncertain(self, queryset, name, value: bool):
        unsure = {
            "assignments__run__is_active": True,
            "assignments__probability__lt": Assignment.UNCERTAIN_BELOW,
        }
        return queryset.filter(**unsure) if value else queryset.exclude(**unsure)


class CustomerWithSegmentViewSet(CustomerViewSet):
    __doc__ = CustomerViewSet.__doc__  # the schema describes the endpoint with the view's docstring

    filterset_class = CustomerInSegmentFilter

    @extend_schema(responses={200: CustomerSegmentSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["get"])
    def segment(self, request, pk=None):
        """The customer's segment in the active run, its persona, and campaigns with their reasons."""
        customer = self.get_object()
        advice = customer_advice(customer=customer)
        if advice is None:
            run = run_leaving_out(customer=customer)
            raise Conflict(LEFT_OUT.format(lacking=run.lacking) if run else NO_ACTIVE_RUN)
        payload = {"customer": customer.pk, "match": advice.match, "recommendations": advice.recommendations}
        return Response(CustomerSegmentSerializer(payload).data)
