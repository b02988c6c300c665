"""Learn what the FitMi facts leave open, from the puck's own data: which int16 triple is the accelerometer, its
scale, and the gyroscope's scale and axis order.

- The on-board quaternion turns into an angular rate (deg/s) between reports. The gyroscope triple is the one a
  linear map explains that rate from; snapping that map to a signed axis permutation times one scale gives the
  gyroscope's axes and deg/s per count. Both quaternion conventions (body-to-world and world-to-body) are tried
  and the one that fits better is kept.
- At rest (the quaternion still), gravity is 1 g: the accelerometer's median magnitude is counts per g.

Pure numpy over arrays; :class:`CalibrationLearner` only accumulates rows until it is sure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CalibrationLearner", "FitMiCalibration", "quaternion_rates_dps"]

REST_DPS = 3.0  # slower than this counts as still
MOVING_DPS = 30.0  # faster than this helps fit the gyroscope
MIN_REST = 20
MIN_MOVING = 60
MIN_FIT = 0.9  # share of the rate's variance the gyroscope map must explain


@dataclass(frozen=True, slots=True)
class FitMiCalibration:
    """Attributes:
    acc_index: 0 if bytes 0-5 are the accelerometer, 1 if bytes 6-11 are.
    acc_g_per_count: g per accelerometer count. gyro_dps_per_count: deg/s per gyroscope count.
    gyro_axes, gyro_signs: output axis j is ``gyro_signs[j] * triple[gyro_axes[j]]``.
    fit: the share of the quaternion rate's variance the gyroscope explains (0..1).
    """

    acc_index: int
    acc_g_per_count: float
    gyro_dps_per_count: float
    gyro_axes: tuple[int, int, int]
    gyro_signs: tuple[int, int, int]
    fit: float

    def apply(self, triple_a: np.ndarray, triple_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(acc_g, gyr_dps), each (n, 3), from the raw triples (n, 3)."""
        acc, gyro = (triple_a, triple_b) if self.acc_index == 0 else (triple_b, triple_a)
        gyr = gyro[:, list(self.gyro_axes)] * np.array(self.gyro_signs) * self.gyro_dps_per_count
        return acc * self.acc_g_per_count, gyr


def _quat_mul(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    pw, px, py, pz = p.T
    qw, qx, qy, qz = q.T
    return np.stack(
        [
            pw * qw - px * qx - py * qy - pz * qz,
            pw * qx + px * qw + py * qz - pz * qy,
            pw * qy - px * qz + py * qw + pz * qx,
            pw * qz + px * qy - py * qx + pz * qw,
        ],
        axis=1,
    )


def quaternion_rates_dps(quat: np.ndarray, t_s: np.ndarray, *, body: bool = True) -> np.ndarray:
    """Angular rate (n-1, 3) in deg/s between consecutive unit quaternions (n, 4: w, x, y, z) at times t_s (n,).

    ``body``: the rate in the sensor's frame for a body-to-world quaternion (q0* q1); else q1 q0*."""
    q = quat / np.linalg.norm(quat, axis=1, keepdims=True)
    conj = q[:-1] * np.array([1.0, -1.0, -1.0, -1.0])
    dq = _quat_mul(conj, q[1:]) if body else _quat_mul(q[1:], conj)
    dq *= np.where(dq[:, :1] < 0, -1.0, 1.0)  # the short way round
    angle = 2 * np.arctan2(np.linalg.norm(dq[:, 1:], axis=1), dq[:, 0])
    norm = np.linalg.norm(dq[:, 1:], axis=1)
    axis = np.divide(dq[:, 1:], norm[:, None], out=np.zeros_like(dq[:, 1:]), where=norm[:, None] > 0)
    dt = np.diff(t_s)
    dt = np.where(dt > 0, dt, np.nan)
    rate: np.ndarray = np.degrees(axis * (angle / dt)[:, None])
    return rate


def _fit_gyro(
    triple: np.ndarray, rate: np.ndarray
) -> tuple[float, tuple[int, int, int], tuple[int, int, int], float]:
    """(dps per count, axes, signs, fit) of ``rate`` ~ signed permutation of ``triple`` x scale."""
    m, *_ = np.linalg.lstsq(triple, rate, rcond=None)
    axes = tuple(int(i) for i in np.argmax(np.abs(m), axis=0))
    if len(set(axes)) != 3:
        return 0.0, (0, 1, 2), (1, 1, 1), 0.0
    signs = tuple(int(np.sign(m[axes[j], j])) or 1 for j in range(3))
    picked = triple[:, list(axes)] * np.array(signs)
    scale = float(np.sum(picked * rate) / np.sum(picked * picked))
    residual = rate - picked * scale
    fit = 1.0 - float(np.sum(residual**2) / max(float(np.sum((rate - rate.mean(axis=0)) ** 2)), 1e-12))
    return scale, (axes[0], axes[1], axes[2]), (signs[0], signs[1], signs[2]), fit


class CalibrationLearner:
    """Feed reports of one puck; :attr:`calibration` is set once the data settle it.

    Needs about a second of stillness and a few seconds of turning the puck (any direction, any speed above
    30 deg/s)."""

    def __init__(self) -> None:
        self._a: list[np.ndarray] = []
        self._b: list[np.ndarray] = []
        self._q: list[np.ndarray] = []
        self._t: list[float] = []
        self.calibration: FitMiCalibration | None = None

    def feed(
        self, triple_a: np.ndarray, triple_b: np.ndarray, quat: np.ndarray, t_s: float
    ) -> FitMiCalibration | None:
        """One report's triples (3,), quaternion (4,) and host time; returns the calibration once known."""
        if self.calibration is not None:
            return self.calibration
        self._a.append(np.asarray(triple_a, dtype=float))
        self._b.append(np.asarray(triple_b, dtype=float))
        self._q.append(np.asarray(quat, dtype=float))
        self._t.append(t_s)
        if len(self._t) >= MIN_REST + MIN_MOVING and len(self._t) % 20 == 0:
            self.calibration = self.solve()
        return self.calibration

    def solve(self) -> FitMiCalibration | None:
        """The calibration from what was fed, or None if it is not yet clear."""
        a, b, q, t = np.array(self._a), np.array(self._b), np.array(self._q), np.array(self._t)
        if len(t) < 2:
            return None
        best: FitMiCalibration | None = None
        for body in (True, False):
            rate = quaternion_rates_dps(q, t, body=body)
            ok = np.all(np.isfinite(rate), axis=1)
            speed = np.linalg.norm(rate, axis=1)
            moving = ok & (speed > MOVING_DPS)
            rest = ok & (speed < REST_DPS)
            if moving.sum() < MIN_MOVING or rest.sum() < MIN_REST:
                continue
            # a report's triples sit between two quaternions: average the rate on both sides of it
            for gyro_index, triples in ((1, b), (0, a)):
                mid = (triples[1:] + triples[:-1]) / 2
                scale, axes, signs, fit = _fit_gyro(mid[moving], rate[moving])
                if fit < MIN_FIT or scale == 0:
                    continue
                acc = (a if gyro_index == 1 else b)[1:][rest]
                counts_per_g = float(np.median(np.linalg.norm(acc, axis=1)))
                if counts_per_g <= 0:
                    continue
                if scale < 0:  # one sign for the scale, the rest in the axis signs
                    scale, signs = -scale, (-signs[0], -signs[1], -signs[2])
                candidate = FitMiCalibration(1 - gyro_index, 1 / counts_per_g, scale, axes, signs, fit)
                if best is None or candidate.fit > best.fit:
                    best = candidate
        return best
