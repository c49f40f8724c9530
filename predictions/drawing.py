"""A forecast's calibration curve as an SVG drawing, in pixel coordinates, drawn on the server
(at most ten points: one per bin of customers by predicted risk)."""

from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 360, 300, 40
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class CalibrationDrawing:
    width: int
    height: int
    margin: int
    points: list[tuple[float, float, float, float]]
    """(x, y, mean predicted risk, share that lapsed) per bin."""
    ticks: list[tuple[float, float, str]]
    """(x on the risk axis, y on the lapsed axis, label) per tick."""

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in self.points)

    @property
    def diagonal(self) -> tuple[float, float, float, float]:
        return (MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, MARGIN)


def calibration_drawing(calibration: list[list[float]]) -> CalibrationDrawing | None:
    """The bins' (mean predicted risk, share that lapsed) on a square from 0 to 1 both ways; the
    diagonal is perfect calibration. None without bins."""
    if not calibration:
        return None
    points = [(_x(predicted), _y(observed), predicted, observed) for predicted, observed in calibration]
    ticks = [(_x(value), _y(value), f"{value:.0%}") for value in TICKS]
    return CalibrationDrawing(width=WIDTH, height=HEIGHT, margin=MARGIN, points=points, ticks=ticks)


def _x(share: float) -> float:
    return MARGIN + (WIDTH - 2 * MARGIN) * share


def _y(share: float) -> float:
    return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * share
