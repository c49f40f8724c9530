"""What a run produces: segments, with their profile, persona and identity across runs, and the
assignment of every customer to one of them.

A segment that continues a segment of an earlier run (``continues``) shares its ``identity`` and
keeps its name, persona and hand edits (``note``, ``edited_by``, ``edited_at``); see
``segmentation.services.identity``.
"""

import uuid

from django.conf import settings
from django.db import models

from core.models import cascade_through_leading_key
from customers.models import Customer
from segmentation.models.playbook import Persona
from segmentation.models.runs import SegmentationRun


class Segment(models.Model):
    run = models.ForeignKey(SegmentationRun, on_delete=models.CASCADE, related_name="segments")
    number = models.PositiveSmallIntegerField(help_text="0 is the largest segment.")
    name = models.CharField(max_length=200)
    persona = models.ForeignKey(
        Persona, null=True, blank=True, on_delete=models.SET_NULL, related_name="segments"
    )
    size = models.PositiveIntegerField()
    share = models.FloatField()
    centroid = models.JSONField(help_text="Mean of each feature, original units.")
    centroid_scaled = models.JSONField(help_text="Centroid in the run's scaled space.")
    medians = models.JSONField()
    levels = models.JSONField(help_text="low / mid / high per numeric feature.")
    gender_shares = models.JSONField(null=True, blank=True)
    silhouette = models.FloatField(null=True, blank=True)
    is_outliers = models.BooleanField(
        default=False, help_text="The customers a density algorithm placed in no segment: never a persona."
    )
    stability = models.FloatField(
        null=True,
        blank=True,
        help_text="Mean Jaccard with itself when re-clustered on subsets (1 = always back).",
    )
    cautions = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the run's warnings about it: unstable_segment, tiny_segment.",
    )
    identity = models.UUIDField(
        default=uuid.uuid4, db_index=True, help_text="Shared by a segment and every segment continuing it."
    )
    continues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        help_text="The segment of the earlier run this one continues; empty for a new segment.",
    )
    matched_by = models.CharField(
        max_length=10,
        blank=True,
        choices=[("members", "Members"), ("centroid", "Centre")],
        help_text="How it was matched to the segment it continues.",
    )
    kept_share = models.FloatField(
        null=True,
        blank=True,
        help_text="Of the continued segment's members in both runs, the share found in this one.",
    )
    note = models.TextField(blank=True, help_text="What the marketing team knows about this segment.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        permissions = [("export_audience", "Can export a segment's audience")]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="segment_number_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unstable(self) -> bool:
        return "unstable_segment" in self.cautions

    @property
    def is_tiny(self) -> bool:
        return "tiny_segment" in self.cautions

    @property
    def is_new(self) -> bool:
        """No segment of the run it was matched to continues in it (False when there was none)."""
        return self.continues_id is None and self.run.matched_to_id is not None


def cascade_by_run_key(collector, field, sub_objs, using) -> None:
    """CASCADE for deleted customers' assignments, through the key (run, customer): see Assignment."""
    run_ids = list(SegmentationRun.objects.using(using).values_list("pk", flat=True))
    cascade_through_leading_key(collector, sub_objs, leading_field="run_id", leading_ids=run_ids)


cascade_by_run_key.lazy_sub_objs = True


class AssignmentQuerySet(models.QuerySet):
    def of_customer(self, customer: Customer) -> "AssignmentQuerySet":
        """The customer's assignments, looked up in each run by the primary key (see Assignment)."""
        run_ids = list(SegmentationRun.objects.values_list("pk", flat=True))
        return self.filter(run_id__in=run_ids, customer=customer)


class Assignment(models.Model):
    """A customer's segment in a run. ``placed``: added after the run, by nearest centroid.
    Below UNCERTAIN_BELOW, a Gaussian mixture's probability marks the customer uncertain."""

    UNCERTAIN_BELOW = 0.6

    # A run writes millions of assignments in one COPY, and every index and constraint costs
    # time per row: a foreign-key constraint one check per row at commit (three checks made the
    # write 3x slower), an index one insert per row (an index on the customer alone made it 2x
    # slower). So the table has one index, the primary key (run, customer): it serves a run's
    # members in customer order (a segment's members are its run's filtered by segment), and a
    # customer's history and deletes look the customer up in each run (`of_customer`), a few
    # dozen probes of that key. The columns carry no database constraint: the run and segment
    # rows are created by the same transaction, and the customers are checked once, in bulk,
    # before it commits (segmentation.services.assignments). Django still cascades deletes. On
    # PostgreSQL the table is partitioned by run (segmentation.assignment_partitions).
    pk = models.CompositePrimaryKey("run", "customer")
    run = models.ForeignKey(
        SegmentationRun,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_constraint=False,
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=cascade_by_run_key,
        related_name="assignments",
        db_constraint=False,
        db_index=False,
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="assignments", db_constraint=False, db_index=False
    )
    distance = models.FloatField(help_text="Distance to the segment's centroid, scaled space.")
    placed = models.BooleanField(default=False)
    probability = models.FloatField(
        null=True, blank=True, help_text="Gaussian mixtures: how likely the customer belongs to this segment."
    )

    objects = AssignmentQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.customer} in {self.segment}"

    @property
    def is_uncertain(self) -> bool:
        return self.probability is not None and self.probability < self.UNCERTAIN_BELOW
