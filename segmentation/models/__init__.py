"""Segmentation's models: the playbook (personas, campaigns), runs, and their segments and assignments."""

from segmentation.models.playbook import Campaign, Persona, PersonaCampaign
from segmentation.models.runs import PopulationDrift, RunActivation, SegmentationRun, SegmentationRunQuerySet
from segmentation.models.schedules import SegmentationSchedule
from segmentation.models.segments import Assignment, Segment

__all__ = [
    "Assignment",
    "Campaign",
    "Persona",
    "PersonaCampaign",
    "PopulationDrift",
    "RunActivation",
    "Segment",
    "SegmentationRun",
    "SegmentationRunQuerySet",
    "SegmentationSchedule",
]
