"""Segment identity across runs: a finished run's segments continue the active run's.

A segment that continues an earlier one (``engine.identity`` says which) takes its identity, name,
persona and hand edits, so what the marketing team named, chose and wrote survives a re-run; a
segment that continues none keeps the identity it was created with and is new.
"""

from segmentation.models import Segment, SegmentationRun
from segmentation.selectors.overlap import Members, segment_overlap_with, segments_matched

CARRIED_FIELDS = ("identity", "name", "persona", "note", "edited_by", "edited_at")


def segments_continue_active_run(*, run: SegmentationRun, members: Members) -> float | None:
    """Match the run's segments to those of the run active now (if it is another) and record the
    lineage; sets ``run.matched_to`` for the caller to save. Call it in the transaction that saves
    the run's segments and assignments, with the ``members`` it wrote. Returns the share of the
    customers in both runs who stay in the segment continuing theirs (None when there was nothing
    to match, or nobody shared)."""
    previous = SegmentationRun.objects.filter(is_active=True).exclude(pk=run.pk).first()
    if previous is None:
        return None
    earlier = list(previous.segments.select_related("persona", "edited_by").order_by("number"))
    later = list(run.segments.order_by("number"))
    counted = segment_overlap_with(first=previous, second=members)
    matches = segments_matched(first=previous, second=run, earlier=earlier, later=later, counted=counted)
    for match in matches:
        if match.previous is not None:
            _continue(later[match.new], earlier[match.previous], by=match.by, kept_share=match.kept_share)
    Segment.objects.bulk_update(later, [*CARRIED_FIELDS, "continues", "matched_by", "kept_share"])
    run.matched_to = previous
    stayed = sum(
        counted.get((earlier[m.previous].pk, later[m.new].pk), 0) for m in matches if m.previous is not None
    )
    shared = sum(counted.values())
    return stayed / shared if shared else None


def _continue(segment: Segment, earlier: Segment, *, by: str, kept_share: float | None) -> None:
    for field in CARRIED_FIELDS:
        setattr(segment, field, getattr(earlier, field))
    segment.continues, segment.matched_by, segment.kept_share = earlier, by, kept_share
