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
# After the lock the axis keeps learning: the second moment forgets with this time constant (seconds of
# movement above MOVING_DPS, so rest does not wash it out), and one power-iteration step per moving group
# follows its main direction. A person whose form drifts, or a strap that slips, moves the plane of the
# repetitions; a few repetitions later the axis has followed them.
TRACK_TAU_S = 8.0


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
        self._track = [0.0] * 6
        self._a = (0.0, 0.0, 0.0)

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
                self._set(_top_eigenvector(_matrix(self._m)), self._m)
                return True
        return self._since_move_s >= FALLBACK_S and self.settle()

    @property
    def components(self) -> tuple[float, float, float]:
        """The current axis as three floats (zeros before the lock), for the hot path."""
        return self._a

    def follow(self, gx: float, gy: float, gz: float, dt_s: float) -> tuple[float, float, float]:
        """After the lock: take one group's rate (deg/s) and duration (s); returns the axis, followed.

        The sign stays continuous (the new axis never points against the old one), so an angle integrated
        about it does not flip when the axis moves.
        """
        speed_sq = gx * gx + gy * gy + gz * gz
        if speed_sq <= MOVING_DPS * MOVING_DPS:
            return self._a
        m0, m1, m2, m3, m4, m5 = self._track
        gain = dt_s / TRACK_TAU_S if dt_s < TRACK_TAU_S else 1.0
        keep = 1.0 - gain
        # Each moving group adds its direction (unit weight per second of movement): the moment keeps a trace
        # near one, and a fast flick does not outweigh seconds of ordinary repetitions.
        w = gain / speed_sq
        wx, wy = w * gx, w * gy
        m0 = keep * m0 + wx * gx
        m1 = keep * m1 + wx * gy
        m2 = keep * m2 + wx * gz
        m3 = keep * m3 + wy * gy
        m4 = keep * m4 + wy * gz
        m5 = keep * m5 + w * gz * gz
        self._track = [m0, m1, m2, m3, m4, m5]
        ax, ay, az = self._a
        # One power-iteration step towards the top eigenvector of the tracked moment.
        bx = m0 * ax + m1 * ay + m2 * az
        by = m1 * ax + m3 * ay + m4 * az
        bz = m2 * ax + m4 * ay + m5 * az
        norm = (bx * bx + by * by + bz * bz) ** 0.5
        if norm > 0.0:
            self._a = (bx / norm, by / norm, bz / norm)
        return self._a

    def _set(self, axis: FloatArray, moment: list[float]) -> None:
        self.axis = axis
        self._a = (float(axis[0]), float(axis[1]), float(axis[2]))
        # The tracked moment starts as the normalised moment of the lock, worth about one time constant.
        total = moment[0] + moment[3] + moment[5]
        scale = 1.0 / total if total > 0.0 else 0.0
        self._track = [v * scale for v in moment]

    def settle(self) -> bool:
        """Lock on the movements seen so far if there were enough (at least ``FALLBACK_DEG``); True if locked.

        The fast groups decide when they add up to ``FALLBACK_DEG`` themselves (they are less disturbed by
        sway and noise), all moving groups otherwise.
        """
        if self.axis is not None:
            return False
        if self.turned_deg >= FALLBACK_DEG:
            self._set(_top_eigenvector(_matrix(self._m)), self._m)
        elif self.slow_turned_deg >= FALLBACK_DEG:
            self._set(_top_eigenvector(_matrix(self._slow_m)), self._slow_m)
        return self.axis is not None


def _accumulate(m: list[float], gx: float, gy: float, gz: float, weight: float = 1.0) -> None:
    wx, wy = weight * gx, weight * gy
    m[0] += wx * gx
    m[1] += wx * gy
    m[2] += wx * gz
    m[3] += wy * gy
    m[4] += wy * gz
    m[5] += weight * gz * gz


def _matrix(m: list[float]) -> FloatArray:
    return np.array([[m[0], m[1], m[2]], [m[1], m[3], m[4]], [m[2], m[4], m[5]]])
