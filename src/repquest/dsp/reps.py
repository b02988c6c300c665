"""Repetition detector: excursions of the exercise angle, thresholds relative to the noise floor and the ROM.

A repetition is an excursion away from the start side and back. The first deliberate movement decides
which side is "out"; afterwards every excursion to that side that comes back is a candidate. With
``two_sided`` (knee twist) an excursion to either side of the start pose counts.

A candidate whose range reaches ``rom_share`` of the person's reference ROM (the calibrated ROM, or the
median of their recent repetitions) is a repetition. Smaller candidates (above a floor that tremor and
sensor noise stay below) are *minor*: one on its own between full repetitions is a partial movement or a
fidget and is not counted; two in a row of similar size are the person working in a smaller range (fatigue,
a "low amplitude" set, a new person), and both count: the first one is then reported late. Decisions use
the angle low-passed at ~3 Hz (tremor is 4-12 Hz); reported ROMs use the angle itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .events import Event, RepCompleted, TooFast
from .smoothness import sparc

__all__ = ["RepDetector", "RepSettings"]

REST_DPS = 5.0
FIRST_REP_DEG = 5.0
RING_S = 12.0


@dataclass(frozen=True, slots=True)
class RepSettings:
    """Tuning of the repetition detector (degrees, seconds, degrees per second)."""

    min_hysteresis_deg: float = 1.5
    rom_share: float = 0.35
    return_share: float = 0.6
    too_fast_dps: float = 150.0
    quick_share: float = 0.5
    target_share: float = 0.8
    two_sided: bool = False
    speed_smoothing_s: float = 0.08
    angle_smoothing_s: float = 0.05
    minor_ratio: float = 2.0


def _median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def _percentile(values: list[float], share: float) -> float:
    s = sorted(values)
    pos = share * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


class RepDetector:
    """Fed one group at a time (time, angle about the exercise axis, rate about it); emits reps and TooFast.

    Two phases on the excursion y (degrees, positive out): *in* follows the lowest point and starts a
    candidate when y rises ``min_hysteresis_deg`` above it; *out* follows the highest point and ends the
    candidate when y has come back ``return_share`` of the way. A dip during a hold that does not come
    back ends nothing.
    """

    def __init__(self, settings: RepSettings, group_rate_hz: float) -> None:
        self.settings = settings
        self.calibrated_rom_deg: float | None = None
        self.count = 0
        self.group_rate_hz = group_rate_hz
        self._alpha = min(1.0, 1.0 / (settings.speed_smoothing_s * group_rate_hz))
        dt = 1.0 / group_rate_hz
        self._beta = dt / (settings.angle_smoothing_s + dt)
        self._floor = settings.min_hysteresis_deg
        self._two_sided = settings.two_sided
        self._started = False
        self.sign = 1.0 if settings.two_sided else 0.0
        self.centre = 0.0
        self.out = False
        self.xf = 0.0
        self.speed_dps = 0.0
        self.low = self.high = self.low_raw = self.high_raw = 0.0
        self.valley = self.peak = 0.0
        self.valley_raw = self.peak_raw = 0.0
        self.start_t_s = 0.0
        self.start_i = 0
        self.peak_speed_dps = 0.0
        self.warned = False
        self.roms_deg: list[float] = []
        self.durations_s: list[float] = []
        self._rom_median_deg = 0.0
        self._minor: tuple[float, float, float, float, bool, float, float] | None = None
        self._minor_counted = False
        self._ring = [0.0] * max(16, int(RING_S * group_rate_hz))
        self._i = 0

    @property
    def rom_reference_deg(self) -> float:
        """The calibrated ROM if set, else the median ROM of the last nine repetitions (0 before any)."""
        if self.calibrated_rom_deg is not None:
            return self.calibrated_rom_deg
        return self._rom_median_deg

    @property
    def hysteresis_deg(self) -> float:
        """Range a candidate needs to count on its own: a share of the reference ROM, above the floor."""
        ref = self.rom_reference_deg
        if ref <= 0.0:
            return max(self._floor, FIRST_REP_DEG)
        return max(self._floor, self.settings.rom_share * ref)

    @property
    def out_sign(self) -> float:
        """+1 or -1: the direction of the angle that is "out"; 0 until the first movement."""
        return self.sign

    @property
    def rest_deg(self) -> float:
        """Angle of the start side of the current repetition (in the raw angle's sign)."""
        return self.valley * (self.sign or 1.0) + self.centre

    def step(self, t: float, x: float, w: float, events: list[Event]) -> None:
        """Process one group: time t (s), angle x (deg) and rate w (deg/s) about the exercise axis."""
        if not self._started:
            self._started = True
            self.centre = self.xf = x
            self.start_t_s = t
        speed = self.speed_dps = self.speed_dps + self._alpha * (abs(w) - self.speed_dps)
        xf = self.xf = self.xf + self._beta * (x - self.xf)
        i = self._i
        ring = self._ring
        ring[i % len(ring)] = abs(w)
        self._i = i + 1
        if self.sign == 0.0 and not self._first_move(t, xf - self.centre, x - self.centre, i):
            return
        if self._two_sided:
            y, yr = abs(xf - self.centre), abs(x - self.centre)
        else:
            y, yr = self.sign * (xf - self.centre), self.sign * (x - self.centre)
        if speed > self.peak_speed_dps:
            self.peak_speed_dps = speed
            limit = self.settings.too_fast_dps
            if self.out and not self.warned and speed > limit:
                self.warned = True
                events.append(TooFast(t, speed, limit))
        if self.out:
            if yr > self.peak_raw:
                self.peak_raw = yr
            if y > self.peak:
                self.peak = y
            elif y <= self.peak - self.settings.return_share * (self.peak - self.valley):
                self._commit(t, events)
                self.out, self.valley, self.valley_raw = False, y, yr
                self.start_t_s, self.start_i, self.peak_speed_dps = t, i, speed
        else:
            if y < self.valley:
                self.valley, self.valley_raw = y, yr
            if y <= self.valley + 0.25 * self._floor or speed < REST_DPS:
                self.start_t_s, self.start_i, self.peak_speed_dps, self.warned = t, i, speed, False
            elif y >= self.valley + self._floor:
                self.out, self.peak, self.peak_raw = True, y, yr

    def _first_move(self, t: float, d: float, dr: float, i: int) -> bool:
        h = max(self._floor, FIRST_REP_DEG)
        if d < self.low:
            self.low, self.low_raw = d, dr
        if d > self.high:
            self.high, self.high_raw = d, dr
        if d - self.low >= h:
            self.sign, self.valley, self.valley_raw = 1.0, self.low, self.low_raw
        elif self.high - d >= h:
            self.sign, self.valley, self.valley_raw = -1.0, -self.high, -self.high_raw
        else:
            if min(d - self.low, self.high - d) <= 0.25 * h:
                self.start_t_s, self.start_i, self.peak_speed_dps = t, i, self.speed_dps
            return False
        self.out, self.peak, self.peak_raw = True, self.sign * d, self.sign * dr
        return True

    def _smoothness(self) -> float:
        ring = self._ring
        size = len(ring)
        start = max(self.start_i, self._i - size)
        idx = [j % size for j in range(start, self._i)]
        return sparc(np.array([ring[j] for j in idx]), self.group_rate_hz)

    def _commit(self, t: float, events: list[Event]) -> None:
        cfg = self.settings
        rom = self.peak - self.valley
        duration = t - self.start_t_s
        # "Too fast" is a speed above the exercise's comfortable limit, or a repetition done in under
        # ``quick_share`` of this person's usual time (the usual time needs three repetitions first).
        usual_s = _percentile(self.durations_s[-30:], 0.75) if len(self.durations_s) >= 3 else 0.0
        too_fast = self.peak_speed_dps > cfg.too_fast_dps or duration < cfg.quick_share * usual_s
        if too_fast and not self.warned:
            self.warned = True
            events.append(TooFast(t, self.peak_speed_dps, cfg.too_fast_dps))
        rep = (t, max(self.peak_raw - self.valley_raw, rom), duration, self.peak_speed_dps, too_fast)
        smooth = self._smoothness()
        if rom >= self.hysteresis_deg:
            self._minor = None
            self._emit(*rep, smooth, rom, events)
            return
        prev = self._minor
        counted = False
        if prev is not None and rom <= cfg.minor_ratio * prev[6] and prev[6] <= cfg.minor_ratio * rom:
            if not self._minor_counted:
                self._emit(*prev[:5], prev[5], prev[6], events)
            self._emit(*rep, smooth, rom, events)
            counted = True
        self._minor = (*rep, smooth, rom)
        self._minor_counted = counted

    def _emit(
        self,
        t: float,
        rom_deg: float,
        duration: float,
        peak_speed: float,
        too_fast: bool,
        smooth: float,
        rom_decision: float,
        events: list[Event],
    ) -> None:
        self.roms_deg.append(rom_decision)
        self.durations_s.append(duration)
        if len(self.roms_deg) > 64:
            del self.roms_deg[:32], self.durations_s[:32]
        self._rom_median_deg = _median(self.roms_deg[-9:])
        self.count += 1
        reference = self.rom_reference_deg
        events.append(
            RepCompleted(
                t_s=t,
                rom_deg=rom_deg,
                duration_s=duration,
                peak_speed_dps=peak_speed,
                too_fast=too_fast,
                reached_target=rom_deg >= self.settings.target_share * reference,
                smoothness=smooth,
            )
        )
