"""The movement's principal rotation axis, learned from the angular rate of the first deliberate movement."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["AxisLearner", "principal_axis"]

FloatArray = npt.NDArray[np.float64]

MOVING_DPS = 15.0


def principal_axis(rate_dps: FloatArray) -> FloatArray:
    """Unit vector (3,) along which the angular rates rate_dps (n, 3) vary most (PCA without centring).

    Rates are not centred: a hinge movement turns back and forth about one axis, so rate vectors point both
    ways along it, and the eigenvector of the second-moment matrix with the largest eigenvalue is that axis.
    The sign is chosen so that the largest component is positive (a stable, frame-independent choice does not
    exist; the repetition detector decides which way is "out").
    """
    moment = rate_dps.T @ rate_dps
    _, vectors = np.linalg.eigh(moment)
    axis: FloatArray = vectors[:, -1].copy()
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis
    return axis


class AxisLearner:
    """Accumulates the second moment of moving angular rates until ``lock_deg`` of rotation has been seen.

    Samples count as moving when their speed exceeds 15 deg/s. The lock point is found to the sample, so the
    learned axis does not depend on how the stream was chunked.
    """

    def __init__(self, rate_hz: float, lock_deg: float = 60.0) -> None:
        self.lock_deg = lock_deg
        self.period_s = 1.0 / rate_hz
        self.moment = np.zeros((3, 3))
        self.turned_deg = 0.0
        self.axis: FloatArray | None = None

    def offer(self, rate_dps: FloatArray) -> int | None:
        """Take n bias-corrected rates (n, 3); return the index after which the axis locked, or None."""
        if self.axis is not None:
            return 0
        speed_dps = np.sqrt(np.einsum("ij,ij->i", rate_dps, rate_dps))
        moving_deg = np.where(speed_dps > MOVING_DPS, speed_dps * self.period_s, 0.0)
        turned = self.turned_deg + np.cumsum(moving_deg)
        reached = np.flatnonzero(turned >= self.lock_deg)
        stop = int(reached[0]) + 1 if reached.size else rate_dps.shape[0]
        moving = rate_dps[:stop][moving_deg[:stop] > 0.0]
        self.moment += moving.T @ moving
        self.turned_deg = float(turned[stop - 1]) if stop else self.turned_deg
        if not reached.size:
            return None
        _, vectors = np.linalg.eigh(self.moment)
        axis: FloatArray = vectors[:, -1].copy()
        self.axis = axis if axis[np.argmax(np.abs(axis))] >= 0 else -axis
        return stop
