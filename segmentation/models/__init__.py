"""Segmentation's models: the playbook (personas, campaigns) and its outcomes, runs, segments, assignments."""

from segmentation.models.outcomes import CampaignOutcome
from segmentation.models.playbook import Campaign, Persona, PersonaCampaign
from segmentation.models.runs import PopulationDrift, RunActivation, SegmentationRun, SegmentationRunQuerySet
from segmentation.models.schedules import SegmentationSchedule
from segmentation.models.segments import Assignment, Segment

__all__ = [
    "Assignment",
    "Campaign",
    "CampaignOutcome",
    "Persona",
    "PersonaCampaign",
    "PopulationDrift",
    "RunActivation",
    "Segment",
    "SegmentationRun",
    "SegmentationRunQuerySet",
    "SegmentationSchedule",
]
