"""The movement's principal rotation axis, learned from the angular rate of the first deliberate movement."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["AxisLearner", "principal_axis"]

FloatArray = npt.NDArray[np.float64]

MOVING_DPS = 10.0
SLOW_DPS = 4.0
FALLBACK_S = 20.0
FALLBACK_DEG = 20.0


def principal_axis(rate_dps: FloatArray) -> FloatArray:
    """Unit vector (3,) along which the angular rates rate_dps (n, 3) vary most (PCA without centring).

    Rates are not centred: a hinge movement turns back and forth about one axis, so rate vectors point both
    ways along it, and the eigenvector of the second-moment matrix with the largest eigenvalue is that axis.
    The sign is chosen so that the largest component is positive (a stable, frame-independent choice does not
    exist; the repetition detector decides which way is "out").
    """
    return _top_eigenvector(rate_dps.T @ rate_dps)


def _top_eigenvector(moment: FloatArray) -> FloatArray:
    _, vectors = np.linalg.eigh(moment)
    axis: FloatArray = vectors[:, -1].copy()
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis
    return axis


class AxisLearner:
    """Accumulates the second moment of moving angular rates until ``lock_deg`` of rotation has been seen.

    Fed one group at a time (bias-corrected mean rate and the group's duration); groups count as moving
    when their speed exceeds 10 deg/s. Groups are fixed by sample count, so the learned axis does not depend
    on how the stream was chunked.

    Slow, small movements (a person after a stroke may raise a leg 10 deg at 10-15 deg/s) may never reach
    ``lock_deg`` above 10 deg/s. For them a second moment also takes groups above ``SLOW_DPS``; once
    ``FALLBACK_S`` have passed since the first movement with at least ``FALLBACK_DEG`` turned, or when the
    stream ends (``settle``), the axis locks on what has been seen.
    """

    def __init__(self, lock_deg: float = 60.0) -> None:
        self.lock_deg = lock_deg
        self._m = [0.0] * 6
        self._slow_m = [0.0] * 6
        self.turned_deg = 0.0
        self.slow_turned_deg = 0.0
        self._since_move_s = -1.0
        self.axis: FloatArray | None = None

    def offer(self, gx: float, gy: float, gz: float, dt_s: float) -> bool:
        """Take one group's rate (deg/s) and duration (s); True when the axis has just locked."""
        speed_sq = gx * gx + gy * gy + gz * gz
        if self._since_move_s >= 0.0:
            self._since_move_s += dt_s
        if speed_sq <= SLOW_DPS * SLOW_DPS:
            return self._since_move_s >= FALLBACK_S and self.settle()
        if self._since_move_s < 0.0:
            self._since_move_s = 0.0
        _accumulate(self._slow_m, gx, gy, gz)
        self.slow_turned_deg += speed_sq**0.5 * dt_s
        if speed_sq > MOVING_DPS * MOVING_DPS:
            _accumulate(self._m, gx, gy, gz)
            self.turned_deg += speed_sq**0.5 * dt_s
            if self.turned_deg >= self.lock_deg:
                self.axis = _top_eigenvector(_matrix(self._m))
                return True
        return self._since_move_s >= FALLBACK_S and self.settle()

    def settle(self) -> bool:
        """Lock on the movements seen so far if there were enough (at least ``FALLBACK_DEG``); True if locked.

        The fast groups decide when they add up to ``FALLBACK_DEG`` themselves (they are less disturbed by
        sway and noise), all moving groups otherwise.
        """
        if self.axis is not None:
            return False
        if self.turned_deg >= FALLBACK_DEG:
            self.axis = _top_eigenvector(_matrix(self._m))
        elif self.slow_turned_deg >= FALLBACK_DEG:
            self.axis = _top_eigenvector(_matrix(self._slow_m))
        return self.axis is not None


def _accumulate(m: list[float], gx: float, gy: float, gz: float) -> None:
    m[0] += gx * gx
    m[1] += gx * gy
    m[2] += gx * gz
    m[3] += gy * gy
    m[4] += gy * gz
    m[5] += gz * gz


def _matrix(m: list[float]) -> FloatArray:
    return np.array([[m[0], m[1], m[2]], [m[1], m[3], m[4]], [m[2], m[4], m[5]]])
