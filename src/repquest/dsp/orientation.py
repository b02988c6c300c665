"""Gyroscope bias at rest and imufusion (x-io Fusion AHRS) orientation, at the engine's group rate.

Samples arrive at 25-1000 Hz; rehabilitation movements live below a few hertz. The frontend sums every ``k``
consecutive gyro samples (``k = rate // 25``, counted from the start of the stream, so any chunking gives
the same groups) and runs one imufusion update per group with the group's mean rate over the group's
duration: gyro pre-integration, as inertial navigation does at high sample rates. Everything downstream
works on groups (25-50 per second). The code is plain Python on scalars: for notifications of 1-15
samples, numpy's per-call overhead (~1.5 us per call) would cost more than the arithmetic.
"""

from __future__ import annotations

import imufusion
import numpy as np

from .quaternion import gravity_aligned_quaternion

__all__ = ["GROUP_RATE_HZ", "Frontend", "samples_per_group", "window_is_still"]

GROUP_RATE_HZ = 25.0
STILL_GYR_STD_DPS = 2.0
STILL_ACC_STD_G = 0.02
MAX_BIAS_DPS = 8.0
MAX_GROUP_S = 0.25


def samples_per_group(rate_hz: float) -> int:
    """How many samples make one group at rate_hz: the group rate lies in [25, 50) Hz (1 below 50 Hz)."""
    return max(1, int(rate_hz // GROUP_RATE_HZ))


def window_is_still(gyr_std_dps: float, acc_std_g: float, gyr_mean_abs_dps: float) -> bool:
    """True when one window's largest per-axis statistics look like a sensor at rest with a plausible bias."""
    return gyr_std_dps < STILL_GYR_STD_DPS and acc_std_g < STILL_ACC_STD_G and gyr_mean_abs_dps < MAX_BIAS_DPS


class Frontend:
    """Groups samples, tracks the gyro bias from still windows (~0.5 s) and fuses orientation per group.

    ``push`` writes one row per completed group into the preallocated lists ``t_s``, ``dt_s`` (group
    duration), ``gyr`` (bias-corrected mean rate, deg/s, as a 3-list) and ``q`` (orientation w, x, y, z),
    and returns how many groups it completed. A still window moves the bias half way to that window's mean
    gyro reading (the first one all the way).
    """

    def __init__(self, rate_hz: float) -> None:
        self.k = samples_per_group(rate_hz)
        self.group_period_s = self.k / rate_hz
        self.window_groups = max(4, round(0.5 / self.group_period_s))
        settings = imufusion.AhrsSettings()
        settings.sample_rate = round(1.0 / self.group_period_s)
        settings.gain = 0.5
        settings.gyroscope_range = 2000.0
        settings.acceleration_rejection = 0.0
        settings.rejection_timeout = round(5.0 / self.group_period_s)
        self._ahrs = imufusion.Ahrs()
        self._ahrs.set_settings(settings)
        self._ahrs.set_sample_period(self.group_period_s)
        self._ahrs_period_s = self.group_period_s
        self._started = False
        self._last_t_s = 0.0
        self._c = 0
        self._sx = self._sy = self._sz = 0.0
        self.bias_dps = [0.0, 0.0, 0.0]
        self._seen_still = False
        self.still = False
        self._w = 0
        self._win = [0.0] * 12
        self.t_s: list[float] = []
        self.dt_s: list[float] = []
        self.gyr: list[list[float]] = []
        self.q: list[list[float]] = []
        self._grow(4)

    def _grow(self, m: int) -> None:
        extra = m - len(self.t_s)
        if extra > 0:
            self.t_s += [0.0] * extra
            self.dt_s += [0.0] * extra
            self.gyr += [[0.0, 0.0, 0.0] for _ in range(extra)]
            self.q += [[1.0, 0.0, 0.0, 0.0] for _ in range(extra)]

    def push(self, t_s: list[float], acc_g: list[list[float]], gyr_dps: list[list[float]]) -> int:
        """Take n samples as lists (t_s (n,), acc_g (n, 3), gyr_dps (n, 3)); return groups completed."""
        n = len(t_s)
        k = self.k
        if n // k + 1 > len(self.t_s):
            self._grow(n // k + 1)
        if not self._started:
            self._start(t_s[0], acc_g[0])
        c, sx, sy, sz = self._c, self._sx, self._sy, self._sz
        m = 0
        for i in range(n):
            g = gyr_dps[i]
            sx += g[0]
            sy += g[1]
            sz += g[2]
            c += 1
            if c == k:
                self._group(m, t_s[i], acc_g[i], sx / k, sy / k, sz / k)
                m += 1
                c, sx, sy, sz = 0, 0.0, 0.0, 0.0
        self._c, self._sx, self._sy, self._sz = c, sx, sy, sz
        return m

    def _start(self, t0_s: float, acc0: list[float]) -> None:
        self._ahrs.set_quaternion(gravity_aligned_quaternion(np.asarray(acc0, dtype=np.float64)))
        self._ahrs.skip_startup()
        self._started = True
        self._last_t_s = t0_s - self.group_period_s / self.k

    def _group(self, m: int, t: float, a: list[float], gx: float, gy: float, gz: float) -> None:
        dt = t - self._last_t_s
        # A gap (lost notifications) cannot be integrated: clamp so one lost stretch does not spin the estimate.
        dt = MAX_GROUP_S if dt > MAX_GROUP_S else 1e-4 if dt < 1e-4 else dt
        self._last_t_s = t
        w = self._win
        ax, ay, az = a
        w[0] += gx
        w[1] += gy
        w[2] += gz
        w[3] += gx * gx
        w[4] += gy * gy
        w[5] += gz * gz
        w[6] += ax
        w[7] += ay
        w[8] += az
        w[9] += ax * ax
        w[10] += ay * ay
        w[11] += az * az
        self._w += 1
        if self._w == self.window_groups:
            self._close_window()
        b = self.bias_dps
        out = self.gyr[m]
        out[0] = gx - b[0]
        out[1] = gy - b[1]
        out[2] = gz - b[2]
        if abs(dt - self._ahrs_period_s) > 0.01 * self._ahrs_period_s:
            self._ahrs.set_sample_period(dt)
            self._ahrs_period_s = dt
        # imufusion parses any float sequence; lists skip numpy view creation per call.
        self._ahrs.update_no_magnetometer(out, a)  # type: ignore[arg-type]
        self.q[m] = self._ahrs.get_quaternion().tolist()
        self.t_s[m] = t
        self.dt_s[m] = dt

    def _close_window(self) -> None:
        w = self._win
        n = float(self._w)
        mean = [w[j] / n for j in (0, 1, 2, 6, 7, 8)]
        var = [w[j] / n - mean[i] * mean[i] for i, j in enumerate((3, 4, 5, 9, 10, 11))]
        gyr_std = max(var[0], var[1], var[2], 0.0) ** 0.5
        acc_std = max(var[3], var[4], var[5], 0.0) ** 0.5
        gyr_mean_abs = max(abs(mean[0]), abs(mean[1]), abs(mean[2]))
        self.still = window_is_still(gyr_std, acc_std, gyr_mean_abs)
        if self.still:
            weight = 0.5 if self._seen_still else 1.0
            b = self.bias_dps
            for j in range(3):
                b[j] += weight * (mean[j] - b[j])
            self._seen_still = True
        for j in range(12):
            w[j] = 0.0
        self._w = 0
