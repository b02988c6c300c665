"""Repetition detector: turning points of the exercise angle with hysteresis relative to the observed ROM.

A repetition is an excursion away from the start side and back. The first deliberate movement decides which
side is "out"; afterwards every confirmed extreme on that side, followed by a return, is one repetition. With
``two_sided`` (knee twist) an excursion to either side of the start pose counts. Hysteresis is the larger of a
floor (fidgets and tremor stay below it) and a share of the median ROM of recent repetitions, so small and large
movers are both counted and a wobble during a hold is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .events import Event, RepCompleted, TooFast

__all__ = ["RepDetector", "RepSettings"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RepSettings:
    """Tuning of the repetition detector (degrees, seconds, degrees per second)."""

    min_hysteresis_deg: float = 5.0
    rom_share: float = 0.3
    return_share: float = 0.75
    too_fast_dps: float = 150.0
    target_share: float = 0.8
    two_sided: bool = False
    speed_smoothing_s: float = 0.08


@dataclass(slots=True)
class _State:
    sign: float = 0.0
    rising: bool = True
    extreme: float = 0.0
    extreme_t_s: float = 0.0
    low: float = 0.0
    high: float = 0.0
    valley: float = 0.0
    start_t_s: float = 0.0
    peak_speed_dps: float = 0.0
    pending: tuple[float, float, float] | None = None
    warned: bool = False
    speed_dps: float = 0.0
    roms_deg: list[float] = field(default_factory=list)


class RepDetector:
    """Feeds on the exercise angle and rate; emits RepCompleted and TooFast. State carries across blocks."""

    def __init__(self, settings: RepSettings, rate_hz: float) -> None:
        self.settings = settings
        self.calibrated_rom_deg: float | None = None
        self.count = 0
        self._alpha = min(1.0, 1.0 / (settings.speed_smoothing_s * rate_hz))
        self._s = _State()
        self._started = False
        self.hysteresis_deg = settings.min_hysteresis_deg

    @property
    def rom_reference_deg(self) -> float:
        """The calibrated ROM if set, else the median ROM of the last five repetitions (0 before any)."""
        if self.calibrated_rom_deg is not None:
            return self.calibrated_rom_deg
        recent = self._s.roms_deg[-5:]
        return float(np.median(recent)) if recent else 0.0

    @property
    def out_sign(self) -> float:
        """+1 or -1: the direction of the angle that is "out"; 0 until the first movement."""
        return self._s.sign

    @property
    def rest_deg(self) -> float:
        """Angle of the start side of the current repetition (in the raw angle's sign)."""
        return self._s.valley * (self._s.sign or 1.0)

    def update(
        self, t_s: FloatArray, angle_deg: FloatArray, rate_dps: FloatArray, events: list[Event]
    ) -> None:
        """Process n samples: t_s (n,), angle_deg (n,) and rate_dps (n,) about the exercise axis."""
        s = self._s
        cfg = self.settings
        if not self._started and t_s.shape[0]:
            s.low = s.high = float(angle_deg[0])
            s.start_t_s = float(t_s[0])
            self._started = True
        alpha = self._alpha
        for t, x, w in zip(t_s.tolist(), angle_deg.tolist(), rate_dps.tolist(), strict=True):
            s.speed_dps += alpha * (abs(w) - s.speed_dps)
            if s.sign == 0.0:
                self._before_first_move(t, x)
                continue
            y = s.sign * x
            h = self.hysteresis_deg
            if s.speed_dps > s.peak_speed_dps:
                s.peak_speed_dps = s.speed_dps
                if not s.warned and s.speed_dps > cfg.too_fast_dps and y - s.valley > 0.5 * h:
                    s.warned = True
                    events.append(TooFast(t, s.speed_dps, cfg.too_fast_dps))
            if s.rising:
                if y > s.extreme:
                    s.extreme, s.extreme_t_s = y, t
                if y <= s.valley + 0.25 * h:
                    s.start_t_s, s.peak_speed_dps, s.warned = t, s.speed_dps, False
                if y < s.extreme - h:
                    s.pending = (s.valley, s.extreme, s.start_t_s)
                    s.rising, s.extreme, s.extreme_t_s = False, y, t
            else:
                if y < s.extreme:
                    s.extreme, s.extreme_t_s = y, t
                pending = s.pending
                if pending is not None and y <= pending[1] - cfg.return_share * (pending[1] - pending[0]):
                    self._commit(t, events)
                if y > s.extreme + h:
                    if s.pending is not None:
                        self._commit(s.extreme_t_s, events)
                    s.rising, s.valley = True, s.extreme
                    s.start_t_s, s.peak_speed_dps, s.warned = s.extreme_t_s, s.speed_dps, False
                    s.extreme, s.extreme_t_s = y, t

    def _before_first_move(self, t: float, x: float) -> None:
        s = self._s
        h = self.hysteresis_deg
        if x < s.low:
            s.low, s.start_t_s = x, t
        if x > s.high:
            s.high = x
        if x - s.low >= h:
            s.sign, s.valley = 1.0, s.low
        elif s.high - x >= h:
            s.sign, s.valley = -1.0, -s.high
        else:
            return
        s.rising, s.extreme, s.extreme_t_s = True, s.sign * x, t

    def _commit(self, t: float, events: list[Event]) -> None:
        s = self._s
        assert s.pending is not None
        valley, peak, start_t_s = s.pending
        s.pending = None
        rom = peak - valley
        s.roms_deg.append(rom)
        reference = self.rom_reference_deg
        self.hysteresis_deg = max(self.settings.min_hysteresis_deg, self.settings.rom_share * reference)
        self.count += 1
        target = self.settings.target_share * reference
        events.append(
            RepCompleted(
                t_s=t,
                rom_deg=rom,
                duration_s=t - start_t_s,
                peak_speed_dps=s.peak_speed_dps,
                too_fast=s.peak_speed_dps > self.settings.too_fast_dps,
                reached_target=rom >= target,
            )
        )
