"""The customer endpoint, extended once more: segmentation added segments; this adds what the
published forecast says of each customer, as filters (``?segment=3&lapse_risk_min=0.6``: the
segment's members most likely to lapse) and as ``customers/{id}/forecast/``. ``mallseg/api_urls.py``
serves ``customers/`` with this viewset."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.filters import FloatFilter
from core.api.schema import CONFLICT_RESPONSE
from core.exceptions import Conflict
from predictions.audiences import AudienceFilter
from predictions.selectors import customer_score, published_forecast, scores_where
from segmentation.api.customers import CustomerInSegmentFilter, CustomerWithSegmentViewSet

NOTHING_PUBLISHED = (
    "No lapse-risk or spend predictions are published yet: train the models (POST /api/v1/forecasts/)."
)
SCORE_BOUNDS = ("lapse_risk_min", "lapse_risk_max", "expected_spend_min", "expected_spend_max")
NOT_SCORED = "The published forecast has no score for this customer: they had no purchase before it was made."


class CustomerScoreSerializer(serializers.Serializer):
    customer = serializers.IntegerField(source="customer_id")
    forecast = serializers.IntegerField(source="forecast_id")
    as_of = serializers.DateTimeField(source="forecast.as_of")
    horizon_days = serializers.IntegerField(source="forecast.horizon_days")
    lapse_risk = serializers.FloatField(help_text="Probability of no purchase within the horizon, 0 to 1.")
    expected_spend = serializers.FloatField(help_text="Expected net spend within the horizon.")


class CustomerAtRiskFilter(CustomerInSegmentFilter):
    """The segment filters, and bounds on the published forecast's scores, applied together in one
    lookup of the forecast and one semijoin on its scores."""

    lapse_risk_min = FloatFilter(
        method="score_bound", help_text="Published forecast: lapse risk at least (0 to 1)."
    )
    lapse_risk_max = FloatFilter(
        method="score_bound", help_text="Published forecast: lapse risk at most (0 to 1)."
    )
    expected_spend_min = FloatFilter(
        method="score_bound", help_text="Published forecast: expected spend at least."
    )
    expected_spend_max = FloatFilter(
        method="score_bound", help_text="Published forecast: expected spend at most."
    )

    def score_bound(self, queryset, name, value: float):
        return queryset  # every bound is applied at once, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        bounds = {  # the filters are named as AudienceFilter's bounds
            name: FloatFilter.clamp(self.form.cleaned_data[name])
            for name in SCORE_BOUNDS
            if self.form.cleaned_data.get(name) is not None
        }
        if not bounds:
            return queryset
        forecast = published_forecast()
        if forecast is None:
            raise Conflict(NOTHING_PUBLISHED)
        scores = scores_where(forecast, **AudienceFilter(**bounds).lookups())
        return queryset.filter(pk__in=scores.values("customer_id"))


@extend_schema_view(
    list=extend_schema(
        responses={200: CustomerWithSegmentViewSet.serializer_class(many=True), 409: CONFLICT_RESPONSE}
    )
)
class CustomerWithForecastViewSet(CustomerWithSegmentViewSet):
    # The schema describes the endpoint with the view's docstring.
    __doc__ = CustomerWithSegmentViewSet.__doc__

    filterset_class = CustomerAtRiskFilter

    @extend_schema(responses={200: CustomerScoreSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["get"])
    def forecast(self, request, pk=None):
        """The customer's lapse risk and expected spend in the published forecast."""
        forecast = published_forecast()
        score = customer_score(customer=self.get_object(), forecast=forecast)
        if score is None:
            raise Conflict(NOT_SCORED if forecast is not None else NOTHING_PUBLISHED)
        return Response(CustomerScoreSerializer(score).data)
