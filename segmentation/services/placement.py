"""Placing customers added after a run: each gets the nearest segment, marked as placed."""

import numpy as np
from django.db import transaction

from segmentation import engine_adapter
from segmentation.models import SegmentationRun
from segmentation.selectors.frames import customers_unassigned_frame, with_values_for
from segmentation.services.assignments import placed_assignments_insert

PLACEMENT_CHUNK_ROWS = 200_000


def segmentation_place_new_customers(*, run: SegmentationRun | None = None) -> int:
    """Give customers without an assignment in the run (default: the active one) their nearest segment.

    Such customers were imported or created after the run; their assignments are marked
    ``placed`` rather than clustered, in the segment of the nearest centre (never among a density
    run's outliers: a new customer is compared with the segments, not with the strays). A run on
    behaviour features places only customers with purchases; the others stay without a segment
    ("No purchase history"). Returns how many were placed.
    """
    run = run or SegmentationRun.objects.active()
    if run is None:
        return 0
    segments = run.segments.filter(is_outliers=False).order_by("number")
    ids_and_centroids = list(segments.values_list("pk", "centroid_scaled"))
    segment_ids = np.array([segment_id for segment_id, _ in ids_and_centroids])
    centroids = [centroid for _, centroid in ids_and_centroids]
    customers = with_values_for(customers_unassigned_frame(run=run), features=run.features)
    with transaction.atomic():
        for start in range(0, len(customers), PLACEMENT_CHUNK_ROWS):
            chunk = customers.iloc[start : start + PLACEMENT_CHUNK_ROWS]
            numbers, distances = engine_adapter.customers_place(
                customers=chunk, scaler=run.scaler, centroids=centroids
            )
            placed_assignments_insert(
                run=run,
                customer_ids=chunk["id"].to_numpy(),
                segment_ids=segment_ids[numbers],
                distances=distances,
            )
    return len(customers)
