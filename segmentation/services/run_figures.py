"""What a run row records about the data beside its segments: a fingerprint of the data it saw,
and a small sample of customers to draw its charts from."""

import hashlib

import numpy as np
import pandas as pd

from segmentation import engine_adapter
from segmentation.models import SegmentationRun
from segmentation.selectors.frames import CUSTOMER_COLUMNS, with_behaviour

SCATTER_SAMPLE_SIZE = 3_000


def data_fingerprint(customers: pd.DataFrame, *, features: list[str]) -> str:
    """A hash of exactly the data a run saw, to tell whether two runs saw the same customers."""
    digest = hashlib.sha256()
    beyond_the_book = [feature for feature in features if feature not in CUSTOMER_COLUMNS]
    for column in [*CUSTOMER_COLUMNS, *beyond_the_book]:
        values = customers[column].to_numpy()
        digest.update(
            values.astype("U6").tobytes() if column == "gender" else values.astype(np.float64).tobytes()
        )
    return digest.hexdigest()


def scatter_sample(
    customers: pd.DataFrame, result: engine_adapter.SegmentationResult, *, run: SegmentationRun
) -> dict:
    """A seeded sample of at most SCATTER_SAMPLE_SIZE customers, so charts never query all rows; on
    three or more features, with their coordinates on the principal plane and the plane itself."""
    rows = engine_adapter.sample_rows(n=len(customers), size=SCATTER_SAMPLE_SIZE, seed=run.seed)
    picked, columns = with_behaviour(customers.iloc[rows]), run.numeric_features
    sample = picked[columns].astype(float).round(2)
    projected = engine_adapter.sample_projection(
        customers=picked, scaler=result.scaler, labels=run.feature_labels
    )
    plane = None
    if projected is not None:
        coordinates, plane = projected
        columns = [*columns, *engine_adapter.PROJECTION_COLUMNS]
        sample[list(engine_adapter.PROJECTION_COLUMNS)] = coordinates.round(3)
    sample["segment"] = result.labels[rows]
    sample = sample.astype(object).where(sample.notna(), None)  # no purchases: no behaviour values
    return {"columns": [*columns, "segment"], "rows": sample.to_numpy().tolist(), "projection": plane}
