"""Small out-and-back excursions of the whole orientation, for reps the exercise axis hardly sees.

A small deliberate repetition does not always turn the limb about the axis learned from the big ones: a
low-amplitude leg raise may turn the thigh 1-1.5 deg about it but 3-5 deg in all (mostly about another
axis). This detector follows the total rotation away from the resting pose (the geodesic angle between the
current orientation and the last still one) and reports *clean* out-and-back excursions: the limb leaves
rest by more than a floor (and ``k`` times the noise seen at rest), comes back within a tolerance of where it
left, and the whole excursion lasts a plausible time. An excursion that settles elsewhere is no repetition
(the limb was repositioned): rest re-anchors there.

The engine counts such an excursion only when it belongs to a series of similar ones (a lone excursion is a
fidget) and no repetition the axis-based detector reported is the same movement (overlaps it by more than
half in time); see ``MovementEngine``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["PoseExcursions"]

_DEG_PER_RAD2 = 360.0 / math.pi  # 2 * acos(.) in degrees


class PoseExcursions:
    """Fed one group at a time (time, bias-corrected rate, orientation); returns finished clean excursions.

    ``step`` returns None, or (start_s, end_s, peak_deg, peak_speed_dps) of an excursion that has just come
    back to rest.
    """

    def __init__(
        self,
        group_rate_hz: float,
        rest_dps: float = 2.0,
        floor_deg: float = 1.5,
        k_noise: float = 6.0,
        return_share: float = 0.6,
        clean_share: float = 0.6,
        min_s: float = 1.0,
        max_s: float = 15.0,
        settle_s: float = 1.0,
    ) -> None:
        self._alpha = min(1.0, 1.0 / (0.08 * group_rate_hz))
        self._rest_dps = rest_dps
        self._floor = floor_deg
        self._k = k_noise
        self._return_share = return_share
        self._clean_share = clean_share
        self._min_s = min_s
        self._max_s = max_s
        self._settle_s = settle_s
        self._speed = 0.0
        self._noise = 0.0
        self._rest: tuple[float, float, float, float] | None = None
        self._t_rest = 0.0
        self.out = False
        self._peak = 0.0
        self._peak_q = (1.0, 0.0, 0.0, 0.0)
        self._peak_speed = 0.0
        self._still_since = -1.0
        self._armed = True

    def step(
        self, t: float, gx: float, gy: float, gz: float, q: Sequence[float]
    ) -> tuple[float, float, float, float] | None:
        speed = self._speed
        speed += self._alpha * ((gx * gx + gy * gy + gz * gz) ** 0.5 - speed)
        self._speed = speed
        q0, q1, q2, q3 = q
        rest = self._rest
        if rest is None:
            self._rest, self._t_rest = (q0, q1, q2, q3), t
            return None
        dot = rest[0] * q0 + rest[1] * q1 + rest[2] * q2 + rest[3] * q3
        d = _DEG_PER_RAD2 * math.acos(min(1.0, abs(dot)))
        if not self.out:
            if not self._armed:
                # Just came back: wait for the limb to settle before taking its pose as the new rest.
                if speed < self._rest_dps:
                    self._armed = True
                    self._rest, self._t_rest = (q0, q1, q2, q3), t
                return None
            if speed < self._rest_dps:
                # Rest: follow the pose; the noise is the typical group-to-group wander of it.
                self._noise += 0.05 * (d - self._noise)
                self._rest, self._t_rest = (q0, q1, q2, q3), t
            elif d > self._floor and d > self._k * self._noise:
                self.out, self._peak, self._peak_q, self._peak_speed = True, d, (q0, q1, q2, q3), speed
                self._still_since = -1.0
            return None
        if speed > self._peak_speed:
            self._peak_speed = speed
        if d > self._peak:
            self._peak, self._peak_q = d, (q0, q1, q2, q3)
        peak = self._peak
        p = self._peak_q
        back = _DEG_PER_RAD2 * math.acos(min(1.0, abs(p[0] * q0 + p[1] * q1 + p[2] * q2 + p[3] * q3)))
        duration = t - self._t_rest
        if back >= self._return_share * peak:
            if d <= self._clean_share * peak:
                self.out = self._armed = False
                if self._min_s <= duration <= self._max_s:
                    return (t - duration, t, peak, self._peak_speed)
                return None
            # Came away from the far end but not home: settled elsewhere means a repositioning.
            if speed < self._rest_dps:
                if self._still_since < 0.0:
                    self._still_since = t
                elif t - self._still_since >= self._settle_s:
                    self._abandon(q0, q1, q2, q3, t)
            else:
                self._still_since = -1.0
        elif duration > self._max_s:
            self._abandon(q0, q1, q2, q3, t)
        return None

    def _abandon(self, q0: float, q1: float, q2: float, q3: float, t: float) -> None:
        self.out = False
        self._rest, self._t_rest = (q0, q1, q2, q3), t
