"""Following customers between two runs in the API: ``GET /runs/{id}/compare/?with={other}``
(``selectors.moves``): which segment of this run continues which of the other, and the matrix of
customers from each of the other run's segments (rows) to each of this run's (columns)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from segmentation.api.comparison import WHOLE_NUMBER
from segmentation.models import SegmentationRun

WITH_PARAMETER = OpenApiParameter(
    "with",
    int,
    required=True,
    description="The other run: its customers' segments are the rows, this run's the columns.",
)


def other_run(request) -> SegmentationRun:
    """The run named by ``?with=``: 400 when it is missing (``required``) or no whole number
    (``invalid``), 422 when there is no such run."""
    values = request.query_params.getlist("with")
    if not values:
        raise serializers.ValidationError({"with": ["Name the other run: ?with=3."]}, code="required")
    if len(values) > 1 or not WHOLE_NUMBER.fullmatch(values[0]):
        raise serializers.ValidationError(
            {"with": ["Name one other run by number: ?with=3."]}, code="invalid"
        )
    run_id = int(values[0])
    other = SegmentationRun.objects.filter(pk=run_id).first() if 0 < run_id < 2**63 else None
    if other is None:
        raise ValidationError(f"No run {run_id}.")
    return other


class SegmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    run = serializers.IntegerField(source="run_id")
    number = serializers.IntegerField()
    name = serializers.CharField()


class IdentitySerializer(SegmentRefSerializer):
    identity = serializers.UUIDField(help_text="Shared by a segment and every segment continuing it.")
    continues = serializers.SerializerMethodField(
        help_text="The other run's segment it continues, or null: new."
    )
    kept_share = serializers.SerializerMethodField(
        help_text="Of the continued segment's members in both runs, the share in this one."
    )

    def get_continues(self, segment) -> SegmentRefSerializer(allow_null=True):
        earlier = self.context["continues"][segment.pk]
        return None if earlier is None else SegmentRefSerializer(earlier).data

    def get_kept_share(self, segment) -> float | None:
        return self.context["kept_shares"].get(segment.pk)


class MatrixSerializer(serializers.Serializer):
    rows = serializers.SerializerMethodField(help_text="The other run's segment ids, in row order.")
    columns = serializers.SerializerMethodField(help_text="This run's segment ids, in column order.")
    counts = serializers.SerializerMethodField(help_text="counts[i][j]: customers in rows[i] and columns[j].")
    shares = serializers.SerializerMethodField(help_text="shares[i][j]: counts[i][j] over the row's total.")

    def get_rows(self, moves) -> list[int]:
        return [source.pk for source, _ in moves.rows]

    def get_columns(self, moves) -> list[int]:
        return [segment.pk for segment in moves.columns]

    def get_counts(self, moves) -> list[list[int]]:
        return [[cell.customers for cell in cells] for _, cells in moves.rows]

    def get_shares(self, moves) -> list[list[float]]:
        return [[round(cell.share, 6) for cell in cells] for _, cells in moves.rows]


class RunMovesSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="second.pk")
    other_run = serializers.IntegerField(source="first.pk", help_text="The run named by ?with=.")
    shared_customers = serializers.IntegerField()
    moved_customers = serializers.IntegerField(
        help_text="Customers in a segment that does not continue theirs."
    )
    segments = serializers.SerializerMethodField(help_text="This run's segments and what each continues.")
    vanished = SegmentRefSerializer(many=True, help_text="The other run's segments that none continues.")
    matrix = serializers.SerializerMethodField()

    def get_segments(self, moves) -> IdentitySerializer(many=True):
        context = {"continues": moves.continues, "kept_shares": moves.kept_shares}
        return IdentitySerializer(moves.columns, many=True, context=context).data

    def get_matrix(self, moves) -> MatrixSerializer:
        return MatrixSerializer(moves).data
