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

The start side follows the limb: after ``RECENTRE_S`` of stillness between repetitions, a rest that has
shifted (the person moved, or the angle estimate settled after a fast movement) becomes the start. Too fast
is an absolute speed limit per exercise, or a pace well above this person's usual one (``_too_fast``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .events import Event, RepCompleted, TooFast

__all__ = ["RepDetector", "RepSettings"]

REST_DPS = 5.0  # below this (smoothed, about the axis) the limb is at rest...
STILL_DEG = 1.0  # ...unless its angle creeps on by more than this: a slow movement
RECENTRE_S = 0.5  # stillness after which a shifted rest becomes the start side
REANCHOR_SHARE = 0.25  # ...if it shifted by more than this share of the hysteresis (one-sided)
PAUSE_S = 5.0  # a stillness this long low in a candidate ends before the repetition's own movement
MIN_DURATION_S = 0.1  # floor of a duration when dividing by it
# A small out-and-back turns the limb about twice its range (out, then back); one whose gyro shows less than
# this share of the range was the angle estimate settling, not the limb moving.
MINOR_TURNED_SHARE = 1.0
FIRST_REP_DEG = 5.0  # the first movement this far decides which side is out...
# ...but before any history, a candidate counts on its own only from this size: a small dip the other way
# before the first repetition (a countermovement) is smaller, and counts only if another like it follows.
FIRST_ALONE_DEG = 10.0
# One-sided: after this long at rest between repetitions the next movement decides again which way is out
# (see ``_resign``); only a movement decides it then, not the estimate creeping while the limb is still.
RESIGN_S = 2.0
# A candidate restarts (``restart_share``) only once it has lasted this many times the usual repetition: a
# wobble within one repetition is not a stale start.
RESTART_AFTER = 2.0


@dataclass(frozen=True, slots=True)
class RepSettings:
    """Tuning of the repetition detector (degrees, seconds, degrees per second).

    ``rom_share``: share of the reference ROM a candidate needs to count on its own. ``return_share``: how far
    back it must come to end. ``too_fast_dps``: the exercise's absolute limit. ``quick_share`` and
    ``pace_ratio`` (0 turns either off): a full-size repetition in under that share of the usual time, or a
    pace above that multiple of the usual pace, is too fast. ``target_share``: share of the reference ROM
    that reaches the target. ``minor_ratio``: how similar two small candidates must be to count as a pair.
    ``settle_out_s``: a candidate still out after this long at rest is no repetition: the limb settled there
    (a new rest, the person repositioned); longer than any hold the exercise asks for. ``minor_min_share``:
    a small candidate under this share of the reference ROM is a fidget, never part of a series.
    ``restart_share``: a candidate that comes back by this share of the reference ROM and goes out again by as
    much without reaching its start restarts from where it turned (the start was stale).
    """

    min_hysteresis_deg: float = 1.0
    rom_share: float = 0.35
    return_share: float = 0.6
    too_fast_dps: float = 150.0
    quick_share: float = 0.5
    pace_ratio: float = 1.6
    target_share: float = 0.8
    two_sided: bool = False
    speed_smoothing_s: float = 0.08
    angle_smoothing_s: float = 0.05
    minor_ratio: float = 2.0
    settle_out_s: float = 20.0
    minor_min_share: float = 0.15
    restart_share: float = 0.5


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
        # Since when the limb has been at rest (-1: moving), and its smoothed angle then: see ``_resting``.
        self._still_since = -1.0
        self._still_x = 0.0
        # The last stillness of PAUSE_S or more during a candidate: when it ended, and at what excursion.
        self._pause_since = self._pause_end = -1.0
        self._pause_y = self._pause_end_y = 0.0
        self.peak_speed_dps = 0.0
        self.warned = False
        self.roms_deg: list[float] = []
        self.durations_s: list[float] = []
        self.paces_dps: list[float] = []  # range / duration of each repetition
        self._rom_median_deg = 0.0
        self._minor: tuple[float, float, float, float, bool, float, float] | None = None
        self._minor_counted = False
        self._too_fast_dps = settings.too_fast_dps
        self._return_share = settings.return_share
        self._start_band = 0.25 * self._floor
        # Where the limb has stayed (within ``_settle_band``) since when, during a candidate: see settle_out_s.
        self._settled_y = self._settled_t = 0.0
        # The lowest point since the candidate's peak (excursion, raw excursion, time): see ``step``.
        self._dip = self._dip_raw = self._dip_t = 0.0
        # Smoothness, accumulated per group: velocity low-passed like the speed, its last two values, and
        # the sum of its squared second differences since the repetition started (see ``_smoothness``).
        self._dt = dt
        self._wf = self._wf1 = 0.0
        self._jerk_sq = 0.0
        # Sum of |rate| per group since the repetition started: times dt, how far the gyro says it turned.
        self._turned = 0.0

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
            return max(self._floor, FIRST_ALONE_DEG)
        return max(self._floor, self.settings.rom_share * ref)

    @property
    def out_sign(self) -> float:
        """+1 or -1: the direction of the angle that is "out"; 0 until the first movement."""
        return self.sign

    @property
    def _settle_band(self) -> float:
        """How far the limb may wander and still count as staying in one place (fidgets, a wobble)."""
        return max(3.0, 0.15 * self.rom_reference_deg)

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
        alpha = self._alpha
        speed = self.speed_dps
        speed += alpha * ((w if w > 0.0 else -w) - speed)
        self.speed_dps = speed
        xf = self.xf
        xf += self._beta * (x - xf)
        self.xf = xf
        wf1 = self._wf
        wf = wf1 + alpha * (w - wf1)
        d2 = wf - 2.0 * wf1 + self._wf1
        self._wf, self._wf1 = wf, wf1
        self._jerk_sq += d2 * d2
        self._turned += w if w > 0.0 else -w
        resting = self._resting(t, speed, xf)
        sign = self.sign
        centre = self.centre
        if sign == 0.0:
            if not self._first_move(t, xf - centre, x - centre, resting):
                return
            sign = self.sign
        if self._two_sided:
            y, yr = abs(xf - centre), abs(x - centre)
        else:
            y, yr = sign * (xf - centre), sign * (x - centre)
        if speed > self.peak_speed_dps:
            self.peak_speed_dps = speed
            limit = self._too_fast_dps
            if speed > limit and self.out and not self.warned:
                self.warned = True
                events.append(TooFast(t, speed, limit))
        if self.out:
            if y - self._settled_y > self._settle_band or self._settled_y - y > self._settle_band:
                self._settled_y, self._settled_t = y, t
            elif t - self._settled_t >= self.settings.settle_out_s:
                self._abandon(t, x, xf, y, yr)
                return
            if speed < REST_DPS:
                if self._pause_since < 0.0:
                    self._pause_since, self._pause_y = t, y
            elif self._pause_since >= 0.0:
                if t - self._pause_since >= PAUSE_S:
                    self._pause_end, self._pause_end_y = t, self._pause_y
                self._pause_since = -1.0
            peak = self.peak
            dip = self._dip
            h = self.settings.restart_share * self.rom_reference_deg
            if (
                self.durations_s
                and peak - dip >= h
                and y - dip >= h
                and t - self.start_t_s > RESTART_AFTER * _median(self.durations_s[-9:])
            ):
                # Back by half a usual repetition and out again by as much, without ever reaching the start:
                # the start is stale (the rest moved, or the angle settled elsewhere). The way back was a
                # repetition; the next one starts from where it turned.
                self.valley, self.valley_raw = dip, self._dip_raw
                self._commit(self._dip_t, events)
                self.valley, self.valley_raw, self.start_t_s = dip, self._dip_raw, self._dip_t
                self.out, self.peak, self.peak_raw = True, y, yr
                self.peak_speed_dps, self._jerk_sq, self._turned = speed, 0.0, 0.0
                self._dip, self._dip_raw, self._dip_t = y, yr, t
                return
            if yr > self.peak_raw:
                self.peak_raw = yr
            if y > peak:
                self.peak = y
                self._dip, self._dip_raw, self._dip_t = y, yr, t
            elif y <= peak - self._return_share * (peak - self.valley):
                self._commit(t, events)
                self.out, self.valley, self.valley_raw = False, y, yr
                self.start_t_s, self.peak_speed_dps, self._jerk_sq, self._turned = t, speed, 0.0, 0.0
            elif y < dip:
                self._dip, self._dip_raw, self._dip_t = y, yr, t
        else:
            valley = self.valley
            if y < valley:
                self.valley = valley = y
                self.valley_raw = yr
            if y <= valley + self._start_band or resting:
                self.start_t_s, self.peak_speed_dps, self.warned = t, speed, False
                self._jerk_sq = self._turned = 0.0
                if resting:
                    self._settle(t, x, xf, y, yr)
            elif y >= valley + self._floor:
                self.out, self.peak, self.peak_raw = True, y, yr
                self._pause_since = self._pause_end = -1.0
                self._settled_y, self._settled_t = y, t
                self._dip, self._dip_raw, self._dip_t = y, yr, t

    def _resting(self, t: float, speed: float, xf: float) -> bool:
        """At rest: slow about the axis (``REST_DPS``) and not creeping away (``STILL_DEG`` since it stopped).

        A person after a stroke may move at 2-5 deg/s: slow, but the angle keeps going. Such a movement is
        no rest, so it neither re-anchors the start nor is kept from becoming a repetition.
        """
        if speed >= REST_DPS:
            self._still_since = -1.0
            return False
        if self._still_since < 0.0:
            self._still_since, self._still_x = t, xf
            return True
        if xf - self._still_x > STILL_DEG or self._still_x - xf > STILL_DEG:
            self._still_since, self._still_x = t, xf
            return False
        return True

    def _settle(self, t: float, x: float, xf: float, y: float, yr: float) -> None:
        """Where the limb rests between repetitions is their start (``RECENTRE_S`` of stillness re-anchors it).

        The rest drifts: the person shifts by a few degrees, and after a fast movement (or a gap) the angle
        estimate settles back over seconds with the gyro still. A start left at the lowest point seen would
        make every later repetition need to come back further than the limb goes. Two-sided: the rest is
        also the centre between the sides, or a swing from a rest beside a stale centre would cross it and look
        like a small out-and-back of its own. Only after stillness: a slow movement is no rest.
        """
        if not self._two_sided and self.count and t - self._still_since >= RESIGN_S:
            self._resign(xf)
        elif t - self._still_since >= RECENTRE_S:
            if self._two_sided:
                self.centre = xf
                self.valley, self.valley_raw = 0.0, abs(x - xf)
            elif y - self.valley > self.hysteresis_deg * REANCHOR_SHARE:
                # Only a real shift: a rest that creeps by a fraction of a degree keeps its lowest point.
                self.valley, self.valley_raw = y, yr

    def _abandon(self, t: float, x: float, xf: float, y: float, yr: float) -> None:
        """The limb settled out and stayed: this is its new rest, and the candidate was no repetition."""
        self.out, self.valley, self.valley_raw = False, y, yr
        self.start_t_s, self.peak_speed_dps, self._jerk_sq, self._turned = t, 0.0, 0.0, 0.0
        self._pause_since = self._pause_end = -1.0
        if not self._two_sided:
            self._resign(xf)

    def forget_side(self) -> None:
        """Between repetitions: let the next movement decide again which way is out (one-sided only).

        The engine calls this when the axis it follows has turned far from the one the side was decided on.
        """
        if not self._two_sided and not self.out and self.sign != 0.0:
            self._resign(self.xf)

    def _resign(self, xf: float) -> None:
        """Forget which side is out: the next movement from this rest decides it again (``_first_move``).

        Where the limb rests can change side (a person who rested with the leg down now rests it raised and
        dips it), and an axis that followed a change of plane may point the other way: a side decided once
        for the whole session would make every later repetition look like a return that never ends.
        """
        self.sign, self.centre = 0.0, xf
        self.valley = self.valley_raw = 0.0
        self.low = self.high = self.low_raw = self.high_raw = 0.0

    def _first_move(self, t: float, d: float, dr: float, resting: bool) -> bool:
        # The very first movement must be deliberate; later, a side is decided by a movement of a size this
        # person's repetitions have (a set of small ones after big ones too).
        # A small dip the other way before a repetition (a countermovement) stays below half of it.
        h = max(self._floor, FIRST_REP_DEG if not self.count else 0.5 * self.hysteresis_deg)
        if self.count and resting:
            # Still: the movement that decides starts from here, whatever the estimate crept to meanwhile.
            self.low = self.high = d
            self.low_raw = self.high_raw = dr
            self.start_t_s, self.peak_speed_dps = t, self.speed_dps
            self._jerk_sq = self._turned = 0.0
            return False
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
                self.start_t_s, self.peak_speed_dps = t, self.speed_dps
                self._jerk_sq = self._turned = 0.0
            return False
        self.out, self.peak, self.peak_raw = True, self.sign * d, self.sign * dr
        self._settled_y, self._settled_t = self.peak, t
        self._dip, self._dip_raw, self._dip_t = self.peak, self.peak_raw, t
        return True

    def _too_fast(self, rom: float, duration: float) -> bool:
        """Faster than the exercise's comfortable limit, or clearly hurried for this person.

        Hurried (needs three repetitions of history): a pace (range over time) above ``pace_ratio`` times this
        person's usual pace, or a repetition of at least half the usual range done in under ``quick_share`` of
        the usual time. A pace, not a time alone: a small repetition is naturally quicker and is not too fast.
        """
        cfg = self.settings
        if self.peak_speed_dps > cfg.too_fast_dps:
            return True
        if len(self.durations_s) < 3:
            return False
        if cfg.pace_ratio > 0.0:
            pace = rom / max(duration, MIN_DURATION_S)
            if pace > cfg.pace_ratio * _median(self.paces_dps[-30:]):
                return True
        usual_s = _percentile(self.durations_s[-30:], 0.75)
        return duration < cfg.quick_share * usual_s and rom >= 0.5 * self._rom_median_deg

    def _smoothness(self, duration_s: float) -> float:
        """Log dimensionless jerk of the repetition's velocity (LDLJ-V), from sums kept per group.

        ``-ln(D**3 / v_peak**2 * integral(jerk**2 dt))`` with the jerk as the second difference of the
        low-passed velocity over dt**2 (Balasubramanian et al. 2015; Melendez-Calderon et al. 2021).
        """
        peak = self.peak_speed_dps
        dt = self._dt
        jerk = self._jerk_sq / (dt * dt * dt)
        if not (peak > 0.0 and jerk > 0.0 and duration_s > 0.0):
            return math.nan
        return -math.log(duration_s**3 / (peak * peak) * jerk)

    def _commit(self, t: float, events: list[Event]) -> None:
        cfg = self.settings
        rom = self.peak - self.valley
        start = self.start_t_s
        if self._pause_end > start and self._pause_end_y < self.valley + 0.5 * rom:
            # A long stillness low in the candidate (the person settled a little way out, e.g. in a break):
            # the repetition began when the limb moved on from it.
            start = self._pause_end
        duration = t - start
        too_fast = self._too_fast(rom, duration)
        if too_fast and not self.warned:
            self.warned = True
            events.append(TooFast(t, self.peak_speed_dps, cfg.too_fast_dps))
        rep = (t, max(self.peak_raw - self.valley_raw, rom), duration, self.peak_speed_dps, too_fast)
        smooth = self._smoothness(duration)
        if rom >= self.hysteresis_deg:
            self._minor = None
            self._emit(*rep, smooth, rom, events)
            return
        if (
            rom < cfg.minor_min_share * self.rom_reference_deg
            or self._turned * self._dt < MINOR_TURNED_SHARE * rep[1]
        ):
            # A fidget far below this person's repetitions, or an angle that came back while the limb hardly
            # turned (the orientation settling after a fast movement or a gap): no movement of the exercise.
            # It neither counts nor breaks a series of small repetitions.
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

    def add_rep(
        self, t: float, rom_deg: float, duration: float, peak_speed: float, events: list[Event]
    ) -> None:
        """Count a repetition found by another detector (see ``pose_reps``), with the same too-fast rules.

        Its range is of the whole orientation, not about the axis, so it does not enter the reference ROM.
        """
        cfg = self.settings
        # Only the exercise's limit: these are small repetitions, quick for their size by nature, and their
        # range (of the whole orientation) does not compare with the axis ranges this person's pace is kept in.
        too_fast = peak_speed > cfg.too_fast_dps
        if too_fast:
            events.append(TooFast(t, peak_speed, cfg.too_fast_dps))
        self.count += 1
        events.append(
            RepCompleted(
                t_s=t,
                rom_deg=rom_deg,
                duration_s=duration,
                peak_speed_dps=peak_speed,
                too_fast=too_fast,
                reached_target=rom_deg >= cfg.target_share * self.rom_reference_deg,
                smoothness=math.nan,
            )
        )

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
        self.paces_dps.append(rom_decision / max(duration, MIN_DURATION_S))
        if len(self.roms_deg) > 64:
            del self.roms_deg[:32], self.durations_s[:32], self.paces_dps[:32]
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
