"""Two or more runs side by side in the API (``selectors.comparison``)."""

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from segmentation.api.quality import CautionsField, QualitySerializer, WarningSerializer

RUNS_PARAMETER = OpenApiParameter(
    "runs",
    int,
    many=True,
    explode=True,
    required=True,
    description="Two to four succeeded runs: ?runs=3&runs=5.",
)

WHOLE_NUMBER = re.compile(r"-?[0-9]{1,100}")


def compared_run_ids(request) -> list[int]:
    """The ``runs`` of the query as whole numbers; 400 (code ``invalid``) when one is not. How many,
    and which, runs may be compared is the comparison's to say (422)."""
    values = request.query_params.getlist("runs")
    if not all(WHOLE_NUMBER.fullmatch(value) for value in values):
        raise serializers.ValidationError(
            {"runs": ["Runs are chosen by number: ?runs=3&runs=5."]}, code="invalid"
        )
    return [int(value) for value in values]


class ComparedSegmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    stability = serializers.FloatField(allow_null=True)
    cautions = CautionsField()


class ComparedRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    algorithm = serializers.CharField()
    features = serializers.ListField(child=serializers.CharField())
    k = serializers.IntegerField()
    customer_count = serializers.IntegerField()
    silhouette = serializers.FloatField(allow_null=True)
    is_active = serializers.BooleanField()
    quality = QualitySerializer(allow_null=True)
    warnings = WarningSerializer(many=True)
    segments = serializers.SerializerMethodField()

    def get_segments(self, run) -> ComparedSegmentSerializer(many=True):
        return ComparedSegmentSerializer(self.context["segments"][run.pk], many=True).data


class MoveSerializer(serializers.Serializer):
    from_segment = serializers.IntegerField(source="source.number")
    from_name = serializers.CharField(source="source.name")
    to_segment = serializers.IntegerField(source="target.number")
    to_name = serializers.CharField(source="target.name")
    customers = serializers.IntegerField()


class PairSerializer(serializers.Serializer):
    first = serializers.IntegerField(source="first.pk")
    second = serializers.IntegerField(source="second.pk")
    agreement = serializers.FloatField(help_text="Adjusted Rand index: 1 identical, about 0 chance.")
    shared_customers = serializers.IntegerField()
    rows = serializers.SerializerMethodField(help_text="The first run's segment numbers, in table order.")
    columns = serializers.SerializerMethodField(help_text="The second run's segment numbers, in table order.")
    counts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="counts[i][j]: customers in rows[i] of the first run and columns[j] of the second.",
    )
    moves = MoveSerializer(many=True, help_text="The largest moves between differently named segments.")

    def get_rows(self, pair) -> list[int]:
        return [segment.number for segment in pair.rows]

    def get_columns(self, pair) -> list[int]:
        return [segment.number for segment in pair.columns]


class ComparisonSerializer(serializers.Serializer):
    runs = serializers.SerializerMethodField()
    pairs = PairSerializer(many=True)
    recommended_run = serializers.IntegerField(source="recommended.pk")
    reason = serializers.CharField()
    same_features = serializers.BooleanField()

    def get_runs(self, comparison) -> ComparedRunSerializer(many=True):
        return ComparedRunSerializer(
            comparison.runs, many=True, context={"segments": comparison.segments}
        ).data
