"""Segmentation runs: start one (202 and its URL), watch it, make it active, cancel it."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.fields import StrictModelSerializer
from core.api.pagination import IdCursorPagination
from core.api.permissions import requires
from core.api.routing import IdLookup
from core.api.schema import CONFLICT_RESPONSE, UNAVAILABLE_RESPONSE, UNPROCESSABLE_RESPONSE, page_size_errors
from customers.models.attributes import ATTRIBUTE_NAME_MAX_LENGTH
from segmentation import engine_adapter
from segmentation.api.comparison import RUNS_PARAMETER, ComparisonSerializer, compared_run_ids
from segmentation.api.moves import WITH_PARAMETER, RunMovesSerializer, other_run
from segmentation.api.quality import (
    AlgorithmParametersSerializer,
    FitDetailsSerializer,
    QualitySerializer,
    WarningSerializer,
)
from segmentation.models import SegmentationRun
from segmentation.selectors.comparison import runs_comparison
from segmentation.selectors.moves import run_moves
from segmentation.selectors.runs import run_as_seen, runs_with_starters
from segmentation.services.runs import (
    segmentation_run_activate,
    segmentation_run_cancel,
    segmentation_run_start,
)

LOWEST_K, HIGHEST_K = engine_adapter.K_LIMITS
MAX_FEATURES = 50


class RunSerializer(StrictModelSerializer):
    started_by = serializers.CharField(source="started_by.get_username", allow_null=True, default=None)
    url = serializers.SerializerMethodField()
    quality = QualitySerializer(allow_null=True, read_only=True, help_text="Null until the run succeeds.")
    algorithm_parameters = AlgorithmParametersSerializer(read_only=True)
    fit_details = FitDetailsSerializer(
        allow_null=True, read_only=True, help_text="Null until the run succeeds."
    )
    warnings = WarningSerializer(
        many=True, read_only=True, help_text="What to read before acting on the segments."
    )

    class Meta:
        model = SegmentationRun
        fields = [
            "id", "url", "status", "progress", "step", "error", "started_by", "created_at", "started_at",
            "finished_at", "features", "algorithm", "scaling", "requested_k", "k_min", "k_max", "seed", "k",
            "customer_count", "silhouette", "inertia", "k_sweep", "data_fingerprint", "is_active",
            "algorithm_parameters", "fit_details", "quality", "warnings",
        ]  # fmt: skip

    def get_url(self, run: SegmentationRun) -> str:
        return reverse("api:run-detail", kwargs={"pk": run.pk})


def feature_name_field() -> serializers.RegexField:
    """A feature's name: built-in, or a declared attribute's (attributes change, so no fixed enum; a
    well-formed name that is neither is refused by the run service, 422)."""
    return serializers.RegexField(
        engine_adapter.FEATURE_NAME_PATTERN,
        max_length=ATTRIBUTE_NAME_MAX_LENGTH,
        help_text=f"One of {', '.join(engine_adapter.FEATURES)}, or a declared attribute's name.",
    )


class FeatureListField(serializers.ListField):
    """A list of feature names whose errors are reported on the list, not on item indexes, all with
    the code ``invalid``."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [str(message) for messages in error.detail.values() for message in messages], code="invalid"
            ) from error


# The run parameters, with the bounds and defaults of the engine's config. (No docstring: it
# would become the schema's description of the request body.)
class RunStartSerializer(serializers.Serializer):
    features = FeatureListField(
        child=feature_name_field(),
        min_length=1,
        max_length=MAX_FEATURES,
    )
    algorithm = serializers.ChoiceField(
        choices=engine_adapter.ALGORITHMS,
        default=engine_adapter.DEFAULT_ALGORITHM,
        help_text="dbscan and hdbscan find the number of segments themselves: give no k.",
    )
    eps = serializers.FloatField(
        min_value=0.0001, required=False, help_text="DBSCAN only; omit to choose it."
    )
    min_samples = serializers.IntegerField(min_value=2, required=False, help_text="DBSCAN only.")
    min_cluster_size = serializers.IntegerField(min_value=2, required=False, help_text="HDBSCAN only.")
    k = serializers.IntegerField(
        min_value=LOWEST_K,
        max_value=HIGHEST_K,
        required=False,
        allow_null=True,
        help_text="Omit or null: choose K.",
    )
    scaling = serializers.ChoiceField(choices=engine_adapter.SCALINGS, default=engine_adapter.DEFAULT_SCALING)
    seed = serializers.IntegerField(
        min_value=0, max_value=engine_adapter.MAX_SEED, default=engine_adapter.DEFAULT_SEED
    )
    k_min = serializers.IntegerField(
        min_value=LOWEST_K, max_value=HIGHEST_K - 1, default=engine_adapter.DEFAULT_K_RANGE[0]
    )
    k_max = serializers.IntegerField(
        min_value=LOWEST_K + 1, max_value=HIGHEST_K, default=engine_adapter.DEFAULT_K_RANGE[1]
    )


@extend_validation_errors(["invalid"], field_name="features", actions=["create"])
@extend_validation_errors(["invalid"], field_name="runs", actions=["compare"])
@extend_validation_errors(["invalid", "required"], field_name="with", actions=["compare_with"])
@page_size_errors()
class RunViewSet(IdLookup, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Segmentation runs. Creating one queues it on a worker and answers 202 with its URL."""

    # Reads show a run whose worker stopped sending heartbeats as failed (selectors.runs.run_as_seen).

    queryset = runs_with_starters()
    serializer_class = RunSerializer
    pagination_class = IdCursorPagination

    permission_by_action = {
        "create": requires("segmentation.view_segmentationrun", "segmentation.start_run"),
        "activate": requires("segmentation.view_segmentationrun", "segmentation.activate_run"),
    }
    permission_classes = [requires("segmentation.view_segmentationrun")]

    def get_permissions(self):
        permission = self.permission_by_action.get(self.action)
        return [permission()] if permission else super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(run_as_seen(self.get_object())).data)

    def paginate_queryset(self, queryset):
        return [run_as_seen(run) for run in super().paginate_queryset(queryset)]

    @extend_schema(
        request=RunStartSerializer,
        responses={
            202: RunSerializer,
            409: CONFLICT_RESPONSE,
            422: UNPROCESSABLE_RESPONSE,
            503: UNAVAILABLE_RESPONSE,
        },
    )
    def create(self, request, *args, **kwargs):
        parameters = RunStartSerializer(data=request.data)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        run = segmentation_run_start(
            started_by=request.user,
            features=data["features"],
            algorithm=data["algorithm"],
            algorithm_parameters={
                name: data[name] for name in engine_adapter.ALGORITHM_SETTINGS if name in data
            },
            k=data.get("k"),
            scaling=data["scaling"],
            seed=data["seed"],
            k_range=(data["k_min"], data["k_max"]),
        )
        body = RunSerializer(run).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={200: RunSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Make this succeeded run the active one."""
        run = segmentation_run_activate(run=self.get_object(), activated_by=request.user)
        return Response(RunSerializer(run).data)

    @extend_schema(request=None, responses={200: RunSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running run (the user who started it, or staff)."""
        run = segmentation_run_cancel(run=self.get_object(), user=request.user)
        return Response(RunSerializer(run).data)

    @extend_schema(
        parameters=[RUNS_PARAMETER],
        responses={200: ComparisonSerializer, 422: UNPROCESSABLE_RESPONSE},
    )
    @action(detail=False, methods=["get"])
    def compare(self, request):
        """Two to four succeeded runs side by side: quality, warnings, sizes, how far each pair agrees
        (adjusted Rand index and the contingency table of who went where), and which run to activate."""
        return Response(ComparisonSerializer(runs_comparison(run_ids=compared_run_ids(request))).data)

    @extend_schema(
        operation_id="v1_runs_compare_with",
        parameters=[WITH_PARAMETER],
        responses={200: RunMovesSerializer, 422: UNPROCESSABLE_RESPONSE},
    )
    @action(detail=True, methods=["get"], url_path="compare", url_name="compare-with")
    def compare_with(self, request, pk=None):
        """Follow customers from the run ``?with=`` names to this one: which of this run's segments
        continues which of the other's (identity), the other's segments none continues, and the
        matrix of customers from each of its segments (rows) to each of this run's (columns)."""
        moves = run_moves(first=other_run(request), second=self.get_object())
        return Response(RunMovesSerializer(moves).data)
