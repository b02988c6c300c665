"""Hold detector: the limb stays out in the hold zone; broken when it leaves the zone."""

from __future__ import annotations

from .events import Event, HoldCompleted, HoldProgress

__all__ = ["HoldDetector", "steadiness_from_spread"]

ENTER_SHARE = 0.5
LEAVE_SHARE = 0.7
STILL_DPS = 3.0
MIN_ZONE_DEG = 10.0
REGROW_SHARE = 0.1
MOVING_DPS = 10.0


def steadiness_from_spread(spread_deg: float) -> float:
    """0..1 steadiness from the standard deviation of the angle during a hold (1 = still, 0.5 at 3 deg)."""
    return 1.0 / (1.0 + (spread_deg / 3.0) ** 2)


class HoldDetector:
    """Works on the excursion (degrees out from the start side, positive out) and the smoothed speed.

    The hold starts when the limb is still (below ``STILL_DPS``) beyond ``ENTER_SHARE`` of the reference
    depth (the calibrated ROM or the median of recent repetitions; before any, the deepest excursion so far):
    holds at the person's smaller repetitions count too. It is broken when the limb drops below
    ``LEAVE_SHARE`` of the level where it stopped, and lasted until the limb was last still.
    """

    def __init__(self, target_s: float, min_hold_s: float) -> None:
        self.target_s = target_s
        self.min_hold_s = min_hold_s
        self.holding = False
        self._start_t_s = 0.0
        self._next_progress_s = 1.0
        self._last_still_t_s = 0.0
        self._depth_deg = 0.0
        self._entry_deg = 0.0
        self._moved_dps = 0.0  # fastest speed since the hold started
        self._high_deg = 0.0  # furthest out since the hold started
        self._n = 0
        self._sum = 0.0
        self._sum_sq = 0.0

    def step(self, t: float, x: float, v: float, rom_deg: float, events: list[Event]) -> None:
        """Process one group: time t (s), excursion x (deg), speed v (deg/s); rom_deg is the reference ROM."""
        depth = max(rom_deg if rom_deg > 0.0 else self._depth_deg, MIN_ZONE_DEG)
        if not self.holding:
            if x > self._depth_deg:
                self._depth_deg = x
            if x >= ENTER_SHARE * depth and x >= MIN_ZONE_DEG and v < STILL_DPS:
                self.holding, self._start_t_s, self._next_progress_s = True, t, 1.0
                self._entry_deg = x
                self._moved_dps = 0.0
                self._high_deg = x
                self._last_still_t_s = t
                self._n, self._sum, self._sum_sq = 0, 0.0, 0.0
            return
        if x < LEAVE_SHARE * self._entry_deg:
            self.holding = False
            # The hold lasted until the limb last stood still, not until it left the zone.
            duration = self._last_still_t_s - self._start_t_s
            if duration >= self.min_hold_s:
                mean = self._sum / max(self._n, 1)
                spread = (max(self._sum_sq / max(self._n, 1) - mean * mean, 0.0)) ** 0.5
                events.append(HoldCompleted(self._start_t_s, duration, steadiness_from_spread(spread)))
            return
        if v > self._moved_dps:
            self._moved_dps = v
        rising = x >= self._high_deg
        if rising:
            self._high_deg = x
        if (
            rising
            and x > self._entry_deg + max(3.0, REGROW_SHARE * self._entry_deg)
            and self._moved_dps >= MOVING_DPS
        ):
            # Only a pause on the way out (hesitation): the hold starts where the limb next stops. The limb
            # must be moving on, out: an angle that creeps with the gyro still is the estimate settling
            # (after a fast movement or lost samples), and the hold goes on.
            self.holding = False
            self._depth_deg = max(self._depth_deg, x)
            return
        if v < STILL_DPS:
            self._last_still_t_s = t
        self._n += 1
        self._sum += x
        self._sum_sq += x * x
        if t - self._start_t_s >= self._next_progress_s:
            events.append(HoldProgress(t, t - self._start_t_s, self.target_s))
            self._next_progress_s += 1.0
