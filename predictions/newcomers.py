"""A new member's likely segment in the active run, from what the loyalty desk knows of them
(age, gender, income): no purchases, no spending score yet.

The classifier (``predictions.engine.newcomers``) learns from the run's own members, on a
systematic sample of at most NEWCOMER_SAMPLE_SIZE of them, and is measured on held-out members
against always guessing the largest segment. A run's segments never change once it has
succeeded, so each process keeps the models of the last few runs it was asked about.
"""

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from core.bulk import read_columns
from core.text import lower_first
from customers.models import Customer
from predictions import engine
from predictions.engine.newcomers import NEWCOMER_FEATURES
from segmentation.models import Assignment, Segment, SegmentationRun
from segmentation.recommendations import Recommendation

NEWCOMER_SAMPLE_SIZE = 20_000
CACHED_RUNS = 4


@dataclass(frozen=True)
class NewcomerGuess:
    segment: Segment
    probability: float
    model: engine.NewcomerModel
    recommendations: list[Recommendation]


def newcomer_guess(*, run: SegmentationRun, values: dict) -> NewcomerGuess:
    """The most likely segment for ``values`` (NEWCOMER_FEATURES), its probability, the model's
    measured accuracy, and the segment persona's campaigns with their reason.

    Raises engine.NotEnoughToLearnError when the run has too few members, or one segment."""
    model = _model_of_run(run.pk, run.created_at)
    guess = engine.newcomer_segment(model, values=pd.DataFrame([values], columns=list(NEWCOMER_FEATURES)))
    segment = Segment.objects.select_related("persona").get(pk=int(guess["segment"].iloc[0]))
    probability = float(guess["probability"].iloc[0])
    return NewcomerGuess(segment, probability, model, _recommendations(run, segment, probability))


@lru_cache(maxsize=CACHED_RUNS)
def _model_of_run(run_id: int, created_at) -> engine.NewcomerModel:
    """``created_at`` keys the cache too: a database rebuilt from scratch reuses run ids."""
    members = _members_sample(run_id)
    return engine.newcomer_model(customers=members[list(NEWCOMER_FEATURES)], segments=members["segment_id"])


def _members_sample(run_id: int) -> pd.DataFrame:
    """Age, income, gender and segment of every n-th member (by customer id) of the run's segments,
    outliers left out: a newcomer is guessed into a segment, never into the outliers."""
    segments = Segment.objects.filter(run_id=run_id, is_outliers=False)
    segment_ids = ", ".join(str(pk) for pk in segments.values_list("pk", flat=True)) or "NULL"
    members = sum(segments.values_list("size", flat=True))
    step = max(1, members // NEWCOMER_SAMPLE_SIZE)
    query = (
        f"SELECT c.age, c.annual_income, c.gender, a.segment_id FROM {Assignment._meta.db_table} AS a "
        f"JOIN {Customer._meta.db_table} AS c ON c.id = a.customer_id "
        f"WHERE a.run_id = {int(run_id)} AND a.segment_id IN ({segment_ids}) AND a.customer_id % {step} = 0 "
        "AND c.age IS NOT NULL AND c.annual_income IS NOT NULL"
    )
    return read_columns(
        query=query,
        columns={"age": "smallint", "annual_income": "double", "gender": "text", "segment_id": "bigint"},
    )


def _recommendations(run: SegmentationRun, segment: Segment, probability: float) -> list[Recommendation]:
    """The persona's campaigns, each saying the segment is a guess from three values."""
    if segment.persona is None:
        return []
    group = f"the {segment.persona.name}" if run.has_structure else f"the {segment.persona.name} band"
    lead = f"From age, gender and income alone, most likely one of {group} ({probability:.0%})."
    return [
        Recommendation(
            campaign=campaign, reason=f"{lead} Offer {lower_first(campaign.title)}: {campaign.rationale}"
        )
        for campaign in segment.persona.ordered_campaigns()
    ]
