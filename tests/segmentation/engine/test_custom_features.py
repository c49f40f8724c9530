"""Custom features: numeric columns the caller declares (the mall's own attributes) segment like built-ins."""

import numpy as np
import pandas as pd
import pytest

from segmentation.engine import (
    InvalidDataError,
    InvalidParameterError,
    NoVarianceError,
    PersonaRule,
    SegmentationConfig,
    place_point,
    run_segmentation,
)
from segmentation.engine.scaling import ScalerParams

VISITS = {"visits_per_month": "Visits per month"}


def visitors(blob_customers: pd.DataFrame) -> pd.DataFrame:
    """The blob customers with a visits column that follows their spending (about 4 or 16 a month)."""
    return blob_customers.assign(visits_per_month=blob_customers["spending_score"] / 5)


def test_a_declared_custom_feature_is_accepted_and_labelled():
    config = SegmentationConfig(features=("annual_income", "visits_per_month"), custom_features=VISITS)

    assert config.labels["visits_per_month"] == "Visits per month"
    assert config.labels["annual_income"] == "annual income"


@pytest.mark.parametrize(
    ("custom_features", "message"),
    [
        ({}, "Unknown feature(s): visits_per_month"),
        ({"visits_per_month": "Visits", "age": "Age again"}, "'age' has the name of a built-in feature"),
        ({"visits_per_month": "Visits", "Visits Per Month": "Visits"}, "must be lower-case letters"),
    ],
)
def test_custom_features_must_be_declared_and_well_named(custom_features, message):
    with pytest.raises(InvalidParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SegmentationConfig(features=("visits_per_month",), custom_features=custom_features)


def test_a_run_on_a_custom_feature_names_segments_by_its_label(blob_customers):
    config = SegmentationConfig(features=("annual_income", "visits_per_month"), k=4, custom_features=VISITS)

    result = run_segmentation(customers=visitors(blob_customers), config=config)

    names = {segment.display_name for segment in result.segments}
    assert names == {
        "Low income · Low visits per month",
        "Low income · High visits per month",
        "High income · Low visits per month",
        "High income · High visits per month",
    }
    assert set(result.bands) == {"annual_income", "visits_per_month"}
    assert all(
        set(segment.profile.means) == {"annual_income", "visits_per_month"} for segment in result.segments
    )


def test_persona_rules_can_ask_for_a_custom_feature(blob_customers):
    config = SegmentationConfig(features=("spending_score", "visits_per_month"), k=2, custom_features=VISITS)
    rules = [PersonaRule(name="Regulars", levels={"visits_per_month": "high"})]

    result = run_segmentation(customers=visitors(blob_customers), config=config, persona_rules=rules)

    regulars = [segment for segment in result.segments if segment.persona == "Regulars"]
    assert len(regulars) == 1
    assert regulars[0].profile.means["visits_per_month"] > 15


def test_problems_with_a_custom_column_are_named_by_its_label(blob_customers):
    config = SegmentationConfig(features=("annual_income", "visits_per_month"), custom_features=VISITS)

    with pytest.raises(NoVarianceError, match="Every customer has the same Visits per month"):
        run_segmentation(customers=blob_customers.assign(visits_per_month=4.0), config=config)
    with pytest.raises(InvalidDataError, match="1 customer\\(s\\) have no Visits per month"):
        gaps = visitors(blob_customers)
        gaps.loc[3, "visits_per_month"] = np.nan
        run_segmentation(customers=gaps, config=config)


def test_a_shopper_is_placed_on_a_custom_feature_of_the_run():
    scaler = ScalerParams(
        method="standard",
        features=("visits_per_month",),
        columns=("visits_per_month",),
        offsets=(5.0,),
        scales=(2.0,),
    )

    placement = place_point(
        values={"visits_per_month": 9.0, "age": 30}, scaler=scaler, centroids=[[-1.0], [2.0]]
    )

    assert placement.segment == 1
    with pytest.raises(InvalidDataError, match="Unknown feature\\(s\\): store_visits"):
        place_point(
            values={"visits_per_month": 9.0, "store_visits": 2}, scaler=scaler, centroids=[[-1.0], [2.0]]
        )
