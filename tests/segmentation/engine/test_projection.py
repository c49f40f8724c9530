import numpy as np
import pytest

from segmentation.engine import principal_plane


def test_the_plane_follows_the_spread_and_names_its_axes_by_their_main_loadings():
    rng = np.random.default_rng(0)
    spread = rng.normal(size=(500, 1))
    points = np.column_stack(
        [spread * 3, spread * 3 + rng.normal(scale=0.1, size=(500, 1)), rng.normal(size=(500, 1))]
    )

    plane = principal_plane(points=points, columns=("annual_income", "spending_score", "gender_female"))
    names = plane.axis_names(labels={"annual_income": "income", "spending_score": "spending"})

    assert plane.explained[0] > 0.9
    assert names[0].startswith("Axis 1 (9") and "income +0.71" in names[0] and "spending +0.71" in names[0]
    assert names[1].startswith("Axis 2") and "gender female +1.00" in names[1]
    assert plane.project(points=points).shape == (500, 2)


def test_the_same_data_always_gives_the_same_picture():
    points = np.random.default_rng(1).normal(size=(300, 4))

    first, second = (principal_plane(points=points, columns=("a", "b", "c", "d")) for _ in range(2))

    assert first == second
    assert all(max(axis, key=abs) > 0 for axis in first.components)
    assert first.project(points=points[:1]) == pytest.approx(second.project(points=points[:1]))
