"""Forecasts over the API: train the models (202 and the forecast's URL), watch the training,
read its verdict and evaluation, cancel it."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.fields import StrictModelSerializer
from core.api.pagination import IdCursorPagination
from core.api.permissions import requires
from core.api.routing import IdLookup
from core.api.schema import CONFLICT_RESPONSE, UNAVAILABLE_RESPONSE, UNPROCESSABLE_RESPONSE, page_size_errors
from core.jobs.lifecycle import job_as_seen
from predictions.models import HORIZON_RANGE, Forecast
from predictions.selectors import forecasts_with_starters
from predictions.services import forecast_cancel, forecast_start


class CalibrationBinSerializer(serializers.Serializer):
    predicted = serializers.FloatField(help_text="Mean predicted lapse risk of the bin's customers.")
    observed = serializers.FloatField(help_text="Share of them that lapsed.")

    def to_representation(self, instance):
        predicted, observed = instance
        return {"predicted": predicted, "observed": observed}


class ForecastSerializer(StrictModelSerializer):
    started_by = serializers.CharField(source="started_by.get_username", allow_null=True, default=None)
    url = serializers.SerializerMethodField()
    calibration = CalibrationBinSerializer(
        many=True,
        read_only=True,
        help_text="Ten bins of held-out customers by predicted risk; empty until evaluated.",
    )

    class Meta:
        model = Forecast
        fields = [
            "id", "url", "status", "progress", "step", "error", "started_by", "created_at", "started_at",
            "finished_at", "horizon_days", "as_of", "published", "reason", "customers_scored",
            "evaluated_customers", "lapse_rate", "auc", "calibration", "spend_mae", "baseline_mae",
        ]  # fmt: skip

    def get_url(self, forecast: Forecast) -> str:
        return reverse("api:forecast-detail", kwargs={"pk": forecast.pk})


# (No docstring: it would become the schema's description of the request body.)
class ForecastStartSerializer(serializers.Serializer):
    horizon_days = serializers.IntegerField(
        min_value=HORIZON_RANGE[0],
        max_value=HORIZON_RANGE[1],
        required=False,
        help_text="Lapse means no purchase within this many days; spend is over the same days. "
        "Omit for the portal's setting (FORECAST_HORIZON_DAYS).",
    )


@page_size_errors()
class ForecastViewSet(IdLookup, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Trainings of the lapse-risk and spend models, in the order they were started. Creating
    one queues it on a worker and answers 202 with its URL; it ends published (scores for every
    customer with history) or not, and ``reason`` says why."""

    queryset = forecasts_with_starters()
    serializer_class = ForecastSerializer
    pagination_class = IdCursorPagination
    permission_classes = [requires("predictions.view_forecast")]

    def get_permissions(self):
        if self.action == "create":
            return [requires("predictions.view_forecast", "predictions.start_forecast")()]
        return super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(job_as_seen(self.get_object())).data)

    def paginate_queryset(self, queryset):
        return [job_as_seen(forecast) for forecast in super().paginate_queryset(queryset)]

    @extend_schema(
        request=ForecastStartSerializer,
        responses={
            202: ForecastSerializer,
            409: CONFLICT_RESPONSE,
            422: UNPROCESSABLE_RESPONSE,
            503: UNAVAILABLE_RESPONSE,
        },
    )
    def create(self, request, *args, **kwargs):
        parameters = ForecastStartSerializer(data=request.data)
        parameters.is_valid(raise_exception=True)
        forecast = forecast_start(
            started_by=request.user, horizon_days=parameters.validated_data.get("horizon_days")
        )
        body = ForecastSerializer(forecast).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={200: ForecastSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running forecast (the user who started it, or staff)."""
        return Response(
            ForecastSerializer(forecast_cancel(forecast=self.get_object(), user=request.user)).data
        )
