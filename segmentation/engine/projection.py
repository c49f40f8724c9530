"""A two-dimensional view of a run with three or more features: the principal plane (PCA) of the
scaled points, each axis named by the features that load on it most."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

LOADINGS_NAMED = 2


@dataclass(frozen=True)
class Projection:
    """Two principal axes of the scaled columns: ``components[a][c]`` is column c's loading on axis a."""

    columns: tuple[str, ...]
    components: tuple[tuple[float, ...], tuple[float, ...]]
    explained: tuple[float, float]

    def project(self, *, points: NDArray[np.float64]) -> NDArray[np.float64]:
        """Scaled points (rows laid out as ``columns``) on the two axes."""
        return np.asarray(points, dtype=np.float64) @ np.asarray(self.components).T

    def axis_names(self, *, labels: Mapping[str, str]) -> tuple[str, str]:
        """E.g. "Axis 1 (62%): income +0.71, spending −0.70", naming each axis's largest loadings."""
        return tuple(
            f"Axis {axis + 1} ({self.explained[axis]:.0%}): " + ", ".join(self._loadings(axis, labels))
            for axis in range(2)
        )

    def _loadings(self, axis: int, labels: Mapping[str, str]) -> list[str]:
        loadings = self.components[axis]
        largest = sorted(range(len(loadings)), key=lambda column: -abs(loadings[column]))[:LOADINGS_NAMED]
        return [
            f"{_label(self.columns[column], labels)} {f'{loadings[column]:+.2f}'.replace('-', '−')}"
            for column in largest
        ]


def _label(column: str, labels: Mapping[str, str]) -> str:
    """A column's label; a one-hot gender column reads "gender female"."""
    return labels.get(column, column.replace("_", " "))


def principal_plane(*, points: NDArray[np.float64], columns: Sequence[str]) -> Projection:
    """The principal plane of (already scaled) points. Signs are fixed so that each axis's largest
    loading is positive, so the same data always gives the same picture."""
    from sklearn.decomposition import PCA

    model = PCA(n_components=2).fit(points)
    components = (
        model.components_
        * np.sign(model.components_[np.arange(2), np.abs(model.components_).argmax(axis=1)])[:, None]
    )
    return Projection(
        columns=tuple(columns),
        components=tuple(tuple(float(value) for value in row) for row in components),
        explained=tuple(float(share) for share in model.explained_variance_ratio_),
    )
