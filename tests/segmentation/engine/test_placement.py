import numpy as np
import pytest
from numpy.testing import assert_array_equal

from segmentation.engine import SegmentationConfig, place_point, run_segmentation
from segmentation.engine.errors import InvalidDataError, InvalidParameterError
from segmentation.engine.scaling import ScalerParams

SCALER = ScalerParams(
    method="standard",
    features=("annual_income", "gender"),
    columns=("annual_income", "gender_female", "gender_male", "gender_other"),
    offsets=(50.0, 0.5, 0.5, 0.0),
    scales=(10.0, 0.5, 0.5, 1.0),
)
CENTROIDS = [[-2.0, 1.0, -1.0, 0.0], [2.0, 1.0, -1.0, 0.0], [2.0, -1.0, 1.0, 0.0]]


def test_the_nearest_centroid_is_chosen():
    placement = place_point(
        values={"annual_income": 71.0, "gender": "male"}, scaler=SCALER, centroids=CENTROIDS
    )
    assert placement.segment == 2
    assert placement.distance == pytest.approx(0.1)


def test_known_features_the_run_did_not_use_are_ignored():
    values = {"annual_income": 30.0, "gender": "female", "age": 40}
    assert place_point(values=values, scaler=SCALER, centroids=CENTROIDS).segment == 0


def test_missing_feature_is_named():
    with pytest.raises(InvalidDataError, match="A value is needed for: gender"):
        place_point(values={"annual_income": 30.0}, scaler=SCALER, centroids=CENTROIDS)


def test_unknown_feature_is_named():
    with pytest.raises(InvalidDataError, match="Unknown feature\\(s\\): income"):
        place_point(values={"income": 30.0, "gender": "male"}, scaler=SCALER, centroids=CENTROIDS)


def test_bad_values_are_refused():
    with pytest.raises(InvalidDataError, match="Unknown gender"):
        place_point(values={"annual_income": 30.0, "gender": "M"}, scaler=SCALER, centroids=CENTROIDS)
    with pytest.raises(InvalidDataError, match="must be numbers"):
        place_point(values={"annual_income": "thirty", "gender": "male"}, scaler=SCALER, centroids=CENTROIDS)


def test_centroids_of_the_wrong_shape_are_refused():
    with pytest.raises(InvalidParameterError, match="4 columns"):
        place_point(values={"annual_income": 30.0, "gender": "male"}, scaler=SCALER, centroids=[[0.0, 1.0]])


def test_stored_results_place_customers_where_the_run_put_them(blob_customers):
    config = SegmentationConfig(features=("annual_income", "spending_score", "gender"), k=4)
    result = run_segmentation(customers=blob_customers, config=config)
    stored_scaler = ScalerParams.from_dict(data=result.scaler.to_dict())
    stored_centroids = result.centroids.tolist()
    rows = blob_customers.iloc[::37]
    placements = [
        place_point(values=row._asdict(), scaler=stored_scaler, centroids=stored_centroids)
        for row in rows[["annual_income", "spending_score", "gender"]].itertuples(index=False)
    ]
    assert_array_equal([placement.segment for placement in placements], result.labels[::37])
    np.testing.assert_allclose([placement.distance for placement in placements], result.distances[::37])
