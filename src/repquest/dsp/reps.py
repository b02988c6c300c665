"""Repetition detector: excursions of the exercise angle, with hysteresis relative to the observed ROM.

A repetition is an excursion away from the start side and back. The first deliberate movement decides
which side is "out"; afterwards every excursion to that side that comes back is one repetition. With
``two_sided`` (knee twist) an excursion to either side of the start pose counts. Hysteresis is the larger
of a floor (fidgets and tremor stay below it) and a share of the median ROM of recent repetitions, so small
and large movers are both counted, and partial movements and wobbles during a hold are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .events import Event, RepCompleted, TooFast

__all__ = ["RepDetector", "RepSettings"]

FloatArray = npt.NDArray[np.float64]

REST_DPS = 5.0


@dataclass(frozen=True, slots=True)
class RepSettings:
    """Tuning of the repetition detector (degrees, seconds, degrees per second)."""

    min_hysteresis_deg: float = 5.0
    rom_share: float = 0.35
    return_share: float = 0.6
    too_fast_dps: float = 150.0
    quick_share: float = 0.5
    target_share: float = 0.8
    two_sided: bool = False
    speed_smoothing_s: float = 0.08


@dataclass(slots=True)
class _State:
    sign: float = 0.0
    centre: float = 0.0
    out: bool = False
    low: float = 0.0
    high: float = 0.0
    valley: float = 0.0
    peak: float = 0.0
    start_t_s: float = 0.0
    peak_speed_dps: float = 0.0
    warned: bool = False
    speed_dps: float = 0.0
    roms_deg: list[float] = field(default_factory=list)
    durations_s: list[float] = field(default_factory=list)


class RepDetector:
    """Feeds on the exercise angle and rate; emits RepCompleted and TooFast. State carries across blocks.

    Two phases on the excursion y (degrees, positive out): *in* follows the lowest point and starts a
    repetition when y rises ``hysteresis_deg`` above it; *out* follows the highest point and commits the
    repetition when y has come back ``return_share`` of the way. A dip during a hold that does not come
    back is not a repetition.
    """

    def __init__(self, settings: RepSettings, rate_hz: float) -> None:
        self.settings = settings
        self.calibrated_rom_deg: float | None = None
        self.count = 0
        self._alpha = min(1.0, 1.0 / (settings.speed_smoothing_s * rate_hz))
        self._s = _State()
        self._started = False
        self.hysteresis_deg = settings.min_hysteresis_deg
        self._rom_median_deg = 0.0

    @property
    def rom_reference_deg(self) -> float:
        """The calibrated ROM if set, else the median ROM of the last nine repetitions (0 before any)."""
        if self.calibrated_rom_deg is not None:
            return self.calibrated_rom_deg
        return self._rom_median_deg

    @property
    def out_sign(self) -> float:
        """+1 or -1: the direction of the angle that is "out"; 0 until the first movement."""
        return self._s.sign

    @property
    def rest_deg(self) -> float:
        """Angle of the start side of the current repetition (in the raw angle's sign)."""
        return self._s.valley * (self._s.sign or 1.0) + self._s.centre

    def update(
        self, t_s: FloatArray, angle_deg: FloatArray, rate_dps: FloatArray, events: list[Event]
    ) -> None:
        """Process n samples: t_s (n,), angle_deg (n,) and rate_dps (n,) about the exercise axis."""
        s = self._s
        cfg = self.settings
        if not self._started and t_s.shape[0]:
            s.centre = float(angle_deg[0])
            s.start_t_s = float(t_s[0])
            self._started = True
            if cfg.two_sided:
                s.sign = 1.0
        alpha = self._alpha
        two_sided = cfg.two_sided
        for t, x, w in zip(t_s.tolist(), angle_deg.tolist(), rate_dps.tolist(), strict=True):
            s.speed_dps += alpha * (abs(w) - s.speed_dps)
            if s.sign == 0.0 and not self._before_first_move(t, x - s.centre):
                continue
            y = abs(x - s.centre) if two_sided else s.sign * (x - s.centre)
            if s.speed_dps > s.peak_speed_dps:
                s.peak_speed_dps = s.speed_dps
                if s.out and not s.warned and s.speed_dps > cfg.too_fast_dps:
                    s.warned = True
                    events.append(TooFast(t, s.speed_dps, cfg.too_fast_dps))
            h = self.hysteresis_deg
            if s.out:
                if y > s.peak:
                    s.peak = y
                elif y <= s.peak - cfg.return_share * (s.peak - s.valley):
                    self._commit(t, events)
                    s.out, s.valley, s.start_t_s, s.peak_speed_dps = False, y, t, s.speed_dps
            else:
                if y < s.valley:
                    s.valley = y
                if y <= s.valley + 0.25 * h or s.speed_dps < REST_DPS:
                    s.start_t_s, s.peak_speed_dps, s.warned = t, s.speed_dps, False
                elif y >= s.valley + h:
                    s.out, s.peak = True, y

    def _before_first_move(self, t: float, x: float) -> bool:
        s = self._s
        h = self.hysteresis_deg
        if x < s.low:
            s.low = x
        if x > s.high:
            s.high = x
        if x - s.low >= h:
            s.sign, s.valley = 1.0, s.low
        elif s.high - x >= h:
            s.sign, s.valley = -1.0, -s.high
        else:
            if min(x - s.low, s.high - x) <= 0.25 * h:
                s.start_t_s, s.peak_speed_dps = t, s.speed_dps
            return False
        s.out, s.peak = True, s.sign * x
        return True

    def _commit(self, t: float, events: list[Event]) -> None:
        s = self._s
        cfg = self.settings
        rom = s.peak - s.valley
        duration = t - s.start_t_s
        # "Too fast" is a speed above the exercise's comfortable limit, or a repetition done in under
        # ``quick_share`` of this person's usual time (the usual time needs three repetitions first).
        usual_s = float(np.percentile(s.durations_s[-30:], 75)) if len(s.durations_s) >= 3 else 0.0
        too_fast = s.peak_speed_dps > cfg.too_fast_dps or duration < cfg.quick_share * usual_s
        if too_fast and not s.warned:
            s.warned = True
            events.append(TooFast(t, s.peak_speed_dps, cfg.too_fast_dps))
        s.roms_deg.append(rom)
        s.durations_s.append(duration)
        self._rom_median_deg = float(np.median(s.roms_deg[-9:]))
        reference = self.rom_reference_deg
        self.hysteresis_deg = max(cfg.min_hysteresis_deg, cfg.rom_share * reference)
        self.count += 1
        events.append(
            RepCompleted(
                t_s=t,
                rom_deg=rom,
                duration_s=duration,
                peak_speed_dps=s.peak_speed_dps,
                too_fast=too_fast,
                reached_target=rom >= cfg.target_share * reference,
            )
        )
