"""Gyroscope bias at rest and imufusion (x-io Fusion AHRS) orientation, at the engine's group rate.

Samples arrive at 25-1000 Hz; rehabilitation movements live below a few hertz. The frontend sums every ``k``
consecutive gyro samples (``k = rate // 12.5``, counted from the start of the stream, so any chunking gives
the same groups) and runs one imufusion update per group with the group's mean rate over the group's
duration: gyro pre-integration, as inertial navigation does at high sample rates. Everything downstream
works on groups (12.5-25 per second: rehabilitation movements last 0.5 s or more, so a repetition still spans
several groups, and hold times resolve to 40-80 ms). The code is plain Python on scalars: for notifications of 1-15
samples, numpy's per-call overhead (~1.5 us per call) would cost more than the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul
from typing import Protocol

import imufusion
import numpy as np
import numpy.typing as npt

from ..firmware_protocol import INTERLEAVED_COLUMNS as _COLUMNS
from .events import Event
from .quaternion import gravity_aligned_quaternion

__all__ = ["GROUP_RATE_HZ", "Frontend", "samples_per_group", "window_is_still"]

FloatArray = npt.NDArray[np.float64]

GROUP_RATE_HZ = 12.5
STILL_GYR_STD_DPS = 2.0
STILL_ACC_STD_G = 0.02
MAX_BIAS_DPS = 8.0
MAX_GROUP_S = 0.25
GAP_SHARE = 1.5  # a group ending this many group periods after the last one follows lost samples
BIAS_STEP_DPS = 1.0
BIAS_GAIN = 0.1
AGREE_DPS = 0.3
NEW_BIAS_WINDOWS = 4


def samples_per_group(rate_hz: float) -> int:
    """How many samples make one group at rate_hz: the group rate lies in [12.5, 25) Hz (1 below 25 Hz)."""
    return max(1, int(rate_hz // GROUP_RATE_HZ))


def window_is_still(gyr_std_dps: float, acc_std_g: float, gyr_mean_abs_dps: float) -> bool:
    """True when one window's largest per-axis statistics look like a sensor at rest with a plausible bias."""
    return gyr_std_dps < STILL_GYR_STD_DPS and acc_std_g < STILL_ACC_STD_G and gyr_mean_abs_dps < MAX_BIAS_DPS


class Sink(Protocol):
    """Receives each completed group: time, duration, bias-corrected mean rate (deg/s), orientation."""

    def __call__(
        self, t: float, dt: float, gx: float, gy: float, gz: float, q: list[float], events: list[Event], /
    ) -> None: ...


class Frontend:
    """Groups samples, tracks the gyro bias from still windows (~0.5 s) and fuses orientation per group.

    ``push`` hands every completed group to a sink: its end time, duration, bias-corrected mean rate (deg/s)
    and orientation (w, x, y, z, a list). A still window moves the bias ``BIAS_GAIN`` of the way to that
    window's mean gyro reading (the first one all the way) if it lies within ``BIAS_STEP_DPS`` of the bias; otherwise
    ``NEW_BIAS_WINDOWS`` still windows in a row that agree with each other are needed.
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
        self._rate = (0.0, 0.0, 0.0)  # the last group's bias-corrected rate (deg/s)
        self._update = self._ahrs.update_no_magnetometer
        self._get_q = self._ahrs.get_quaternion
        self._started = False
        self._last_t_s = 0.0
        # The samples of an unfinished group (interleaved values and times), kept for the next push.
        self._carry: Sequence[float] = ()
        self._carry_t: Sequence[float] = ()
        self.bias_dps = (0.0, 0.0, 0.0)
        self._seen_still = False
        self.still = False
        self._candidate = (0.0, 0.0, 0.0)
        self._candidate_n = 0
        # The current window's group rates and accelerations, as (gx, gy, gz, ax, ay, az) rows.
        self._win: list[tuple[float, ...]] = []
        self._wn = 0
        self._moving = False

    def push(
        self,
        t_s: Sequence[float],
        values: Sequence[float],
        scales: tuple[float, float, float],
        sink: Sink,
        events: list[Event],
    ) -> None:
        """Take n samples: times t_s (n,) and the interleaved ``values`` of ``SampleBlock.interleaved`` (7 per
        sample: acc x y z, gyr x y z, force, times ``scales`` = (acc, gyr, force) units); hand completed groups
        to sink.

        Only the last sample's acceleration of each group is used (the orientation is updated once per group).
        The gyro sums run over each group's samples in order from its first, whatever the chunking, so any
        chunking gives bit-identical groups.
        """
        k = self.k
        acc_scale, gyr_scale = scales[0], scales[1]
        if not self._started:
            self._start(t_s[0], [values[0] * acc_scale, values[1] * acc_scale, values[2] * acc_scale])
        carry = self._carry
        if carry:
            # The start of an unfinished group from the last push: sum from the group's first sample.
            t_s = [*self._carry_t, *t_s]
            values = [*carry, *values]
        n = len(t_s)
        full = n - n % k
        if full < n:
            self._carry, self._carry_t = values[_COLUMNS * full :], t_s[full:]
        elif carry:
            self._carry, self._carry_t = (), ()
        per_group = gyr_scale / k
        period = self.group_period_s
        update, get_q = self._update, self._get_q
        for end in range(k, full + 1, k):
            first = _COLUMNS * (end - k)
            last = _COLUMNS * end
            # The group's mean rate: the sum of its gyro values in sample order, scaled.
            gx = sum(values[first + 3 : last : _COLUMNS]) * per_group
            gy = sum(values[first + 4 : last : _COLUMNS]) * per_group
            gz = sum(values[first + 5 : last : _COLUMNS]) * per_group
            a0 = last - _COLUMNS
            a = (values[a0] * acc_scale, values[a0 + 1] * acc_scale, values[a0 + 2] * acc_scale)
            t = t_s[end - 1]
            dt = t - self._last_t_s
            # A gap (lost notifications) cannot be integrated: clamp so one lost stretch does not spin
            # the estimate.
            dt = MAX_GROUP_S if dt > MAX_GROUP_S else 1e-4 if dt < 1e-4 else dt
            self._last_t_s = t
            if not self._moving:
                # A group turning faster than any plausible bias rules its window out: skip the sums.
                if -MAX_BIAS_DPS < gx < MAX_BIAS_DPS and -MAX_BIAS_DPS < gy < MAX_BIAS_DPS:
                    self._win.append((gx, gy, gz, *a))
                else:
                    self._moving = True
            self._wn += 1
            if self._wn == self.window_groups:
                self._close_window()
            bx, by, bz = self.bias_dps
            gx -= bx
            gy -= by
            gz -= bz
            step = dt
            if dt > GAP_SHARE * period:
                # Samples were lost before this group. Turning through the gap at this group's rate alone
                # misreads a fast movement by tens of degrees (and the estimate then takes seconds to settle
                # back): bridge it with the mean of the rates on either side.
                step = period
                px, py, pz = self._rate
                self._period(dt - step)
                update((0.5 * (px + gx), 0.5 * (py + gy), 0.5 * (pz + gz)), a)  # type: ignore[arg-type]
            p = self._ahrs_period_s
            if step - p > 0.01 * p or p - step > 0.01 * p:
                self._period(step)
            # imufusion parses any float sequence; tuples skip numpy view creation per call.
            update((gx, gy, gz), a)  # type: ignore[arg-type]
            self._rate = (gx, gy, gz)
            sink(t, dt, gx, gy, gz, get_q().tolist(), events)

    def _period(self, dt: float) -> None:
        """Integrate the next update over dt (s); imufusion is told only when it changes by over 1 %."""
        p = self._ahrs_period_s
        if dt - p > 0.01 * p or p - dt > 0.01 * p:
            self._ahrs.set_sample_period(dt)
            self._ahrs_period_s = dt

    def _start(self, t0_s: float, acc0: list[float]) -> None:
        self._ahrs.set_quaternion(gravity_aligned_quaternion(np.asarray(acc0, dtype=np.float64)))
        self._ahrs.skip_startup()
        self._started = True
        self._last_t_s = t0_s - self.group_period_s / self.k

    def _close_window(self) -> None:
        win = self._win
        moving = self._moving or len(win) < self._wn
        self._wn = 0
        self._moving = False
        if moving:
            win.clear()
            self.still = False
            self._candidate_n = 0
            return
        n = float(len(win))
        mean = []
        var = []
        for col in zip(*win, strict=True):
            mu = sum(col) / n
            mean.append(mu)
            var.append(sum(map(mul, col, col)) / n - mu * mu)
        win.clear()
        gyr_std = max(var[0], var[1], var[2], 0.0) ** 0.5
        acc_std = max(var[3], var[4], var[5], 0.0) ** 0.5
        gyr_mean_abs = max(abs(mean[0]), abs(mean[1]), abs(mean[2]))
        self.still = window_is_still(gyr_std, acc_std, gyr_mean_abs)
        gx, gy, gz = mean[0], mean[1], mean[2]
        if not self.still:
            self._candidate_n = 0
            return
        b = self.bias_dps
        if not self._seen_still:
            self.bias_dps = (gx, gy, gz)
            self._seen_still = True
        elif max(abs(gx - b[0]), abs(gy - b[1]), abs(gz - b[2])) <= BIAS_STEP_DPS:
            # A 0.5 s window's mean is noisy (+-0.3 deg/s on a consumer gyro): average over ~5 s of rest.
            u = BIAS_GAIN
            self.bias_dps = (b[0] + u * (gx - b[0]), b[1] + u * (gy - b[1]), b[2] + u * (gz - b[2]))
        else:
            # A "still" window far from the bias is usually a slow, steady movement, not a new bias; a
            # new bias shows as several still windows in a row that agree with each other.
            c = self._candidate
            if self._candidate_n and max(abs(gx - c[0]), abs(gy - c[1]), abs(gz - c[2])) <= AGREE_DPS:
                self._candidate_n += 1
            else:
                self._candidate, self._candidate_n = (gx, gy, gz), 1
            if self._candidate_n >= NEW_BIAS_WINDOWS:
                self.bias_dps = (gx, gy, gz)
                self._candidate_n = 0
