"""REST API of segmentation: runs, segments and their members, personas, campaigns, predict."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.models import Gender
from mallseg.api import (
    CONFLICT_RESPONSE,
    UNPROCESSABLE_RESPONSE,
    IdCursorPagination,
    IdLookup,
    ModelPermissions,
    StrictFloatField,
    StrictModelSerializer,
    page_size_errors,
    refuses_duplicates,
    requires,
)
from segmentation import engine
from segmentation.exports import audience_csv_response
from segmentation.models import Assignment, Campaign, Persona, Segment, SegmentationRun
from segmentation.recommendations import shopper_recommendations
from segmentation.selectors import VALUE_RANGES, segment_for_values, segments_with_personas
from segmentation.services import (
    segmentation_run_activate,
    segmentation_run_cancel,
    segmentation_run_start,
    segmentation_runs_fail_stale,
)

# CAMPAIGNS AND PERSONAS


class CampaignSerializer(StrictModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "title", "channel", "offer", "rationale"]


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            feature: {"type": "string", "enum": list(engine.LEVELS)} for feature in engine.NUMERIC_FEATURES
        },
        "additionalProperties": False,
        "minProperties": 1,
        "example": {"annual_income": "high", "spending_score": "low"},
    }
)
class PersonaRuleField(serializers.JSONField):
    """The levels a segment needs to earn the persona: a level for one or more numeric features."""


class PersonaSerializer(StrictModelSerializer):
    campaigns = serializers.SerializerMethodField()
    rule = PersonaRuleField(help_text=Persona._meta.get_field("rule").help_text)

    class Meta:
        model = Persona
        fields = ["id", "name", "description", "rule", "campaigns"]

    def get_campaigns(self, persona: Persona) -> list[int]:
        """Campaign ids, in order of recommendation."""
        return [campaign.pk for campaign in persona.ordered_campaigns()]

    def validate_rule(self, rule):
        if not isinstance(rule, dict):
            raise serializers.ValidationError('Write the rule as an object, e.g. {"annual_income": "high"}.')
        try:
            engine.PersonaRule(name="persona", levels=rule)
        except engine.EngineError as error:
            raise serializers.ValidationError(str(error)) from error
        return rule


@refuses_duplicates
@page_size_errors()
class CampaignViewSet(IdLookup, viewsets.ModelViewSet):
    """The campaign playbook: read for Marketing, write for staff."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination


@refuses_duplicates
@page_size_errors()
class PersonaViewSet(IdLookup, viewsets.ModelViewSet):
    """Personas and their matching rules: read for Marketing, write for staff."""

    queryset = Persona.objects.prefetch_related("campaign_links__campaign")
    serializer_class = PersonaSerializer
    permission_classes = [ModelPermissions]
    pagination_class = IdCursorPagination


# SEGMENTS


class PersonaSummarySerializer(StrictModelSerializer):
    campaigns = CampaignSerializer(many=True, source="ordered_campaigns")

    class Meta:
        model = Persona
        fields = ["id", "name", "description", "campaigns"]


class SegmentSerializer(StrictModelSerializer):
    persona = PersonaSummarySerializer(allow_null=True)

    class Meta:
        model = Segment
        fields = [
            "id", "run", "number", "name", "persona", "size", "share",
            "centroid", "medians", "levels", "gender_shares", "silhouette",
        ]  # fmt: skip


class MemberSerializer(StrictModelSerializer):
    id = serializers.IntegerField(source="customer.id")
    external_id = serializers.CharField(source="customer.external_id")
    gender = serializers.CharField(source="customer.gender")
    age = serializers.IntegerField(source="customer.age")
    annual_income = serializers.FloatField(source="customer.annual_income")
    spending_score = serializers.IntegerField(source="customer.spending_score")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "external_id",
            "gender",
            "age",
            "annual_income",
            "spending_score",
            "distance",
            "placed",
        ]


class MemberPagination(IdCursorPagination):
    ordering = "customer_id"


class SegmentListQuerySerializer(serializers.Serializer):
    run = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Run id (default: the active run)."
    )


@page_size_errors("members")
@extend_validation_errors(
    ["invalid", "max_value", "min_value", "max_string_length"], field_name="run", actions=["list"]
)
class SegmentViewSet(IdLookup, viewsets.ReadOnlyModelViewSet):
    """Segments of a run (the active run unless ?run= names another), with their members."""

    serializer_class = SegmentSerializer
    permission_classes = [requires("segmentation.view_segment")]
    pagination_class = None

    def get_queryset(self):
        segments = segments_with_personas().order_by("run_id", "number")
        if self.action != "list":
            return segments
        # A plain dict, so that an empty ?run= is refused rather than read as "not given".
        query = SegmentListQuerySerializer(data=self.request.query_params.dict())
        query.is_valid(raise_exception=True)
        run = query.validated_data.get("run")
        return segments.filter(run_id=run) if run else segments.filter(run__is_active=True)

    @extend_schema(parameters=[SegmentListQuerySerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MemberSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=MemberPagination)
    def members(self, request, pk=None):
        """The segment's customers, cursor-paginated by customer id."""
        segment = self.get_object()
        members = Assignment.objects.filter(segment=segment).select_related("customer")
        page = self.paginate_queryset(members)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[requires("segmentation.view_segment", "segmentation.export_audience")],
    )
    def export(self, request, pk=None):
        """The segment's audience as CSV (formula-safe)."""
        return audience_csv_response(self.get_object())


# RUNS


class RunSerializer(StrictModelSerializer):
    started_by = serializers.CharField(source="started_by.get_username", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SegmentationRun
        fields = [
            "id", "url", "status", "progress", "step", "error", "started_by", "created_at", "started_at",
            "finished_at", "features", "algorithm", "scaling", "requested_k", "k_min", "k_max", "seed", "k",
            "customer_count", "silhouette", "inertia", "k_sweep", "data_fingerprint", "is_active",
        ]  # fmt: skip

    def get_url(self, run: SegmentationRun) -> str:
        return reverse("api:run-detail", kwargs={"pk": run.pk})


class FeatureListField(serializers.ListField):
    """A list of feature names whose errors are reported on the list, not on item indexes."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [message for messages in error.detail.values() for message in messages]
            ) from error


class RunStartSerializer(serializers.Serializer):
    features = FeatureListField(
        child=serializers.ChoiceField(choices=engine.FEATURES), min_length=1, max_length=len(engine.FEATURES)
    )
    k = serializers.IntegerField(
        min_value=2, max_value=50, required=False, allow_null=True, help_text="Omit or null: choose K."
    )
    scaling = serializers.ChoiceField(choices=engine.SCALINGS, default="standard")
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=42)
    k_min = serializers.IntegerField(min_value=2, max_value=49, default=2)
    k_max = serializers.IntegerField(min_value=3, max_value=50, default=10)


@extend_validation_errors(["invalid_choice"], field_name="features", actions=["create"])
@page_size_errors()
class RunViewSet(IdLookup, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Segmentation runs. Creating one queues it on a worker and answers 202 with its URL."""

    queryset = SegmentationRun.objects.select_related("started_by")
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
        segmentation_runs_fail_stale()
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=RunStartSerializer, responses={202: RunSerializer, 422: UNPROCESSABLE_RESPONSE})
    def create(self, request, *args, **kwargs):
        parameters = RunStartSerializer(data=request.data)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        run = segmentation_run_start(
            started_by=request.user,
            features=data["features"],
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
        run = segmentation_run_activate(run=self.get_object())
        return Response(RunSerializer(run).data)

    @extend_schema(request=None, responses={200: RunSerializer, 409: CONFLICT_RESPONSE})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a queued or running run (the user who started it, or staff)."""
        run = segmentation_run_cancel(run=self.get_object(), user=request.user)
        return Response(RunSerializer(run).data)


# PREDICT AND RECOMMENDATIONS


class RecommendationSerializer(serializers.Serializer):
    campaign = CampaignSerializer()
    reason = serializers.CharField()


class PredictionSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    segment = SegmentSerializer()
    distance = serializers.FloatField()
    recommendations = RecommendationSerializer(many=True)


class CustomerSegmentSerializer(PredictionSerializer):
    customer = serializers.IntegerField()
    placed = serializers.BooleanField(
        help_text="True: placed by nearest centre after the run, not clustered."
    )


class PredictRequestSerializer(serializers.Serializer):
    annual_income = StrictFloatField(
        min_value=VALUE_RANGES["annual_income"][0], max_value=VALUE_RANGES["annual_income"][1], required=False
    )
    spending_score = serializers.IntegerField(
        min_value=VALUE_RANGES["spending_score"][0],
        max_value=VALUE_RANGES["spending_score"][1],
        required=False,
    )
    age = serializers.IntegerField(
        min_value=VALUE_RANGES["age"][0], max_value=VALUE_RANGES["age"][1], required=False
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)


class PredictView(APIView):
    """Which segment of the active run would a shopper with these values fall into, and which
    campaigns suit them? Every value the active run clusters on is needed (422 otherwise)."""

    permission_classes = [requires("segmentation.view_segment")]

    @extend_schema(
        request=PredictRequestSerializer,
        responses={200: PredictionSerializer, 409: CONFLICT_RESPONSE, 422: UNPROCESSABLE_RESPONSE},
    )
    def post(self, request):
        values = PredictRequestSerializer(data=request.data)
        values.is_valid(raise_exception=True)
        match = segment_for_values(values=values.validated_data)
        payload = {
            "run": match.run.pk,
            "segment": match.segment,
            "distance": match.distance,
            "recommendations": shopper_recommendations(values=values.validated_data, match=match),
        }
        return Response(PredictionSerializer(payload).data)
