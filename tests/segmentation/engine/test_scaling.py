import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

from segmentation.engine.errors import InvalidParameterError
from segmentation.engine.scaling import ScalerParams, fit_scaler

RAW = np.array([[15.0, 39.0], [16.0, 81.0], [137.0, 83.0], [60.0, 50.0]])
INCOME_AND_SPENDING = ("annual_income", "spending_score")


@pytest.mark.parametrize("method", ["standard", "log", "minmax", "none"])
def test_transform_then_inverse_returns_the_raw_values(method):
    scaler = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method=method)
    assert_allclose(scaler.inverse_transform(scaled=scaler.transform(raw=RAW)), RAW)


def test_standard_scaling_centres_and_scales_each_column():
    scaled = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="standard").transform(raw=RAW)
    assert_allclose(scaled.mean(axis=0), 0, atol=1e-12)
    assert_allclose(scaled.std(axis=0), 1)


def test_minmax_scaling_maps_each_column_onto_zero_to_one():
    scaled = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="minmax").transform(raw=RAW)
    assert_allclose(scaled.min(axis=0), 0)
    assert_allclose(scaled.max(axis=0), 1)


def test_no_scaling_is_the_identity():
    scaler = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="none")
    assert_allclose(scaler.transform(raw=RAW), RAW)


def test_a_constant_column_keeps_scale_one_instead_of_dividing_by_zero():
    raw = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])  # nobody has gender 'other'
    scaler = fit_scaler(raw=raw, features=("gender",), method="standard")
    assert scaler.scales[2] == 1.0
    assert np.isfinite(scaler.transform(raw=raw)).all()


def test_parameters_survive_a_json_round_trip():
    scaler = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="standard")
    restored = ScalerParams.from_dict(data=json.loads(json.dumps(scaler.to_dict())))
    assert restored == scaler
    assert all(type(value) is float for value in scaler.offsets + scaler.scales)


def test_inconsistent_stored_parameters_are_refused():
    data = fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="standard").to_dict()
    data["offsets"] = data["offsets"][:1]
    with pytest.raises(InvalidParameterError, match="do not match"):
        ScalerParams.from_dict(data=data)


def test_unknown_scaling_is_refused():
    with pytest.raises(InvalidParameterError, match="Unknown scaling 'robust'"):
        fit_scaler(raw=RAW, features=INCOME_AND_SPENDING, method="robust")


def test_log_scaling_tames_a_long_tail_and_keeps_refunds_negative():
    spend = np.array([[-20.0], [0.0], [50.0], [60.0], [70.0], [10_000.0]])

    scaled = fit_scaler(raw=spend, features=("monetary",), method="log").transform(raw=spend)

    standard = fit_scaler(raw=spend, features=("monetary",), method="standard").transform(raw=spend)
    assert scaled[0, 0] < scaled[1, 0] < scaled[2, 0]  # order kept, refunds below zero spend
    # The big spender no longer squeezes everyone else together.
    assert np.ptp(scaled[2:5, 0]) > 10 * np.ptp(standard[2:5, 0])
