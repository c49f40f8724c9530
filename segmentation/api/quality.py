"""How a run's trustworthiness reads in the API: its quality evidence and its warnings.

The run row stores both as JSON (``SegmentationResult.to_dict`` of the engine); these serializers give
them a documented shape in the schema.
"""

from rest_framework import serializers

from segmentation import engine_adapter

SEGMENT_CAUTIONS = ("unstable_segment", "tiny_segment")


class TendencySerializer(serializers.Serializer):
    statistic = serializers.FloatField(
        allow_null=True, help_text="Hopkins: about 0.5 evenly spread, near 1 grouped."
    )
    method = serializers.CharField()
    sample_size = serializers.IntegerField()
    has_structure = serializers.BooleanField(help_text="False: the segments are bands of a continuum.")
    threshold = serializers.FloatField(help_text="The statistic above which customers form natural groups.")


class MetricsSerializer(serializers.Serializer):
    silhouette = serializers.FloatField(allow_null=True)
    davies_bouldin = serializers.FloatField(allow_null=True)
    calinski_harabasz = serializers.FloatField(allow_null=True)
    sample_size = serializers.IntegerField()
    noise_share = serializers.FloatField(help_text="Share of customers no segment holds (outliers).")


class ReadingsSerializer(serializers.Serializer):
    silhouette = serializers.CharField()
    davies_bouldin = serializers.CharField()
    calinski_harabasz = serializers.CharField()


class StabilitySerializer(serializers.Serializer):
    overall_ari = serializers.FloatField(
        help_text="Adjusted Rand index with re-clusterings of subsets; 1 identical."
    )
    resamples = serializers.IntegerField()
    sample_size = serializers.IntegerField()
    unstable_below = serializers.FloatField(
        help_text="A segment's stability (Jaccard) below this is unstable."
    )


class QualitySerializer(serializers.Serializer):
    tendency = TendencySerializer()
    metrics = MetricsSerializer()
    readings = ReadingsSerializer(help_text="Each metric in plain words.")
    stability = StabilitySerializer()


class WarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=engine_adapter.WARNING_CODES)
    message = serializers.CharField()
    segment = serializers.IntegerField(allow_null=True, help_text="The segment's number, when about one.")


class CautionsField(serializers.ListField):
    """The codes of the run's warnings about one segment."""

    child = serializers.ChoiceField(choices=SEGMENT_CAUTIONS)


class AlgorithmParametersSerializer(serializers.Serializer):
    eps = serializers.FloatField(required=False)
    min_samples = serializers.IntegerField(required=False)
    min_cluster_size = serializers.IntegerField(required=False)


class DendrogramSerializer(serializers.Serializer):
    leaf_sizes = serializers.ListField(child=serializers.IntegerField())
    children = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    heights = serializers.ListField(child=serializers.FloatField())
    sizes = serializers.ListField(child=serializers.IntegerField())


class FitDetailsSerializer(serializers.Serializer):
    algorithm = serializers.DictField(help_text="What the algorithm used, e.g. eps and how it was chosen.")
    fitted_on = serializers.IntegerField(
        allow_null=True, help_text="Customers the algorithm fitted on when a sample; null: every one."
    )
    outliers = serializers.IntegerField(help_text="Customers no segment holds (DBSCAN, HDBSCAN).")
    dendrogram = DendrogramSerializer(
        allow_null=True, help_text="Hierarchical runs: the last merges of the tree."
    )
