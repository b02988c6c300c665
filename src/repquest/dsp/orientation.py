"""Gyroscope bias at rest and orientation with imufusion (x-io Fusion AHRS), one block at a time."""

from __future__ import annotations

import imufusion
import numpy as np
import numpy.typing as npt

from .quaternion import gravity_aligned_quaternion

__all__ = ["BiasTracker", "OrientationStream", "window_is_still"]

FloatArray = npt.NDArray[np.float64]

STILL_GYR_STD_DPS = 2.0
STILL_ACC_STD_G = 0.02
MAX_BIAS_DPS = 8.0


def window_is_still(gyr_std_dps: FloatArray, acc_std_g: FloatArray, gyr_mean_dps: FloatArray) -> bool:
    """True when one window's statistics (each (3,)) look like a sensor at rest with a plausible gyro bias."""
    return bool(
        gyr_std_dps.max() < STILL_GYR_STD_DPS
        and acc_std_g.max() < STILL_ACC_STD_G
        and np.abs(gyr_mean_dps).max() < MAX_BIAS_DPS
    )


class BiasTracker:
    """Gyroscope bias from windows of about half a second in which the sensor is at rest.

    Windows are counted in samples from the start of the stream, so any chunking gives the same result.
    A still window moves the bias half way to that window's mean gyro reading (the first one all the way).
    Samples are copied into a preallocated window; statistics are computed once per window.
    """

    def __init__(self, rate_hz: float) -> None:
        self.window_n = max(8, round(0.5 * rate_hz))
        self.bias_dps = np.zeros(3)
        self._window = np.empty((self.window_n, 6))
        self._count = 0
        self._seen_still = False

    def correct(self, gyr_dps: FloatArray, acc_g: FloatArray, out: FloatArray) -> FloatArray:
        """Write the bias-corrected rate of gyr_dps (n, 3) into out (n, 3); acc_g (n, 3) helps spot rest."""
        n = gyr_dps.shape[0]
        start = 0
        while start < n:
            stop = min(n, start + self.window_n - self._count)
            np.subtract(gyr_dps[start:stop], self.bias_dps, out=out[start:stop])
            end = self._count + stop - start
            self._window[self._count : end, :3] = gyr_dps[start:stop]
            self._window[self._count : end, 3:] = acc_g[start:stop]
            self._count = end
            if end == self.window_n:
                self._close_window()
            start = stop
        return out

    def _close_window(self) -> None:
        mean = self._window.mean(axis=0)
        std = self._window.std(axis=0)
        if window_is_still(std[:3], std[3:], mean[:3]):
            weight = 0.5 if self._seen_still else 1.0
            self.bias_dps += weight * (mean[:3] - self.bias_dps)
            self._seen_still = True
        self._count = 0


class OrientationStream:
    """imufusion AHRS fed sample by sample; starts aligned with gravity from the first sample (no warm-up)."""

    def __init__(self, rate_hz: float) -> None:
        self.period_s = 1.0 / rate_hz
        settings = imufusion.AhrsSettings()
        settings.sample_rate = rate_hz
        settings.gain = 0.5
        settings.gyroscope_range = 2000.0
        settings.acceleration_rejection = 0.0
        settings.rejection_timeout = round(5 * rate_hz)
        self._ahrs = imufusion.Ahrs()
        self._ahrs.set_settings(settings)
        self._started = False
        self._last_t_s = 0.0
        self._current_period_s = self.period_s

    def update(
        self, t_s: FloatArray, gyr_dps: FloatArray, acc_g: FloatArray, q_out: FloatArray
    ) -> FloatArray:
        """Fuse n samples: t_s (n,), gyr_dps (n, 3) bias-corrected, acc_g (n, 3); write (n, 4) quaternions."""
        ahrs = self._ahrs
        n = t_s.shape[0]
        if not self._started:
            ahrs.set_quaternion(gravity_aligned_quaternion(acc_g[0]))
            ahrs.skip_startup()
            self._started = True
            self._last_t_s = float(t_s[0]) - self.period_s
        first_t, last_t = float(t_s[0]), float(t_s[-1])
        tolerance_s = 0.01 * self.period_s
        # Samples inside one notification are evenly spaced; gaps (lost notifications) come between blocks.
        regular = (
            abs(first_t - self._last_t_s - self.period_s) < tolerance_s
            and abs(last_t - first_t - (n - 1) * self.period_s) < tolerance_s * n
        )
        update = ahrs.update_no_magnetometer
        get = ahrs.get_quaternion
        if regular:
            if self._current_period_s != self.period_s:
                ahrs.set_sample_period(self.period_s)
                self._current_period_s = self.period_s
            for i in range(n):
                update(gyr_dps[i], acc_g[i])
                q_out[i] = get()
        else:
            dt_s = np.diff(t_s, prepend=self._last_t_s).tolist()
            for i in range(n):
                # A gap cannot be integrated; clamp so one lost stretch does not spin the estimate.
                period = min(max(dt_s[i], 1e-4), 0.1)
                if period != self._current_period_s:
                    ahrs.set_sample_period(period)
                    self._current_period_s = period
                update(gyr_dps[i], acc_g[i])
                q_out[i] = get()
        self._last_t_s = float(t_s[-1])
        return q_out
