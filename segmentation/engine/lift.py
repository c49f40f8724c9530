"""Campaign outcomes: response rate and revenue per send by group, and the lift of a campaign over
its control group with a confidence interval.

Lift is the difference in response rate between the customers who were sent the campaign and the
control group who were not (percentage points), with Newcombe's hybrid Wilson interval for a
difference of two proportions (method 10 in Newcombe 1998): it stays inside [-1, 1] and behaves
with small groups and rates near 0 or 1, where the plain Wald interval does not. Revenue per send
is reported beside it. Recommendations rank on lift once both groups reach MIN_SENDS.
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054
MIN_SENDS = 30
"""Below this many sends in either group, a lift is shown but not ranked on."""


@dataclass(frozen=True)
class GroupOutcome:
    sends: int
    responses: int
    revenue: float

    @property
    def response_rate(self) -> float:
        return self.responses / self.sends if self.sends else 0.0

    @property
    def revenue_per_send(self) -> float:
        return self.revenue / self.sends if self.sends else 0.0


@dataclass(frozen=True)
class Lift:
    """Response rate of the treated minus the control's, with its 95% interval (both as shares)."""

    difference: float
    low: float
    high: float
    enough: bool
    """Both groups have at least the minimum of sends: the lift may rank campaigns."""

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


def wilson_interval(responses: int, sends: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0, 1 when nothing was sent)."""
    if sends == 0:
        return 0.0, 1.0
    rate = responses / sends
    denominator = 1 + z * z / sends
    centre = (rate + z * z / (2 * sends)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / sends + z * z / (4 * sends * sends)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def lift(
    treated: GroupOutcome, control: GroupOutcome, *, min_sends: int = MIN_SENDS, z: float = Z_95
) -> Lift:
    """Newcombe's hybrid score interval for treated rate minus control rate; ``enough`` once both
    groups have ``min_sends`` sends."""
    p1, p2 = treated.response_rate, control.response_rate
    l1, u1 = wilson_interval(treated.responses, treated.sends, z)
    l2, u2 = wilson_interval(control.responses, control.sends, z)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    enough = min(treated.sends, control.sends) >= min_sends
    return Lift(difference=difference, low=low, high=high, enough=enough)
