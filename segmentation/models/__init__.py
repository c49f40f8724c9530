"""Segmentation's models: the playbook (personas, campaigns) and runs (runs, segments, assignments)."""

from segmentation.models.playbook import Campaign, Persona, PersonaCampaign
from segmentation.models.runs import Assignment, Segment, SegmentationRun, SegmentationRunQuerySet

__all__ = [
    "Assignment",
    "Campaign",
    "Persona",
    "PersonaCampaign",
    "Segment",
    "SegmentationRun",
    "SegmentationRunQuerySet",
]
