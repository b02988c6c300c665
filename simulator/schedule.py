"""The timeline of a set of out-and-back repetitions: when each rep happens, how far and how fast it goes.

A set is a :class:`~.motion.KnotTrack` of the joint angle: rest, then repetitions with random rests between,
minimum-jerk out to the far end (sometimes with a hesitation halfway), an optional hold, and back. Amplitude
varies from rep to rep by ±15-25 % about a per-set nominal, tempo varies, some reps are deliberately too fast,
and fidgets and partial movements (truth distractors) fall between reps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .motion import MIN_JERK_PEAK_SPEED, KnotTrack
from .truth import DistractorTruth, HoldTruth, RepTruth

__all__ = ["END_REST_S", "Plan", "RepStyle", "plan_reps"]

END_REST_S = 2.0
_SLOW_MARGIN = 0.75  # normal reps stay below this fraction of the speed limit
_FAST_RANGE = (1.3, 1.8)  # too-fast reps exceed the limit by this factor
_HOLD_RAMP_S = 0.6


@dataclass(frozen=True)
class RepStyle:
    """How one exercise's repetitions are done (angles in degrees, times in seconds)."""

    amplitude_deg: tuple[float, float]  # per-set nominal excursion is drawn from this range
    # The simulated person's calm limit: reps marked too fast exceed it (by 1.3-1.8x), others stay under 0.75x.
    # The catalog's limit, which the engine applies, is twice this: where clearly hurried repetitions begin.
    speed_limit_dps: float
    rep_s: tuple[float, float] = (2.5, 5.0)  # out-and-back movement time of a normal rep, holds excluded
    rest_s: tuple[float, float] = (1.0, 3.5)
    hold_s: tuple[float, float] | None = None  # a held position (truth hold) at the far end
    pause_s: tuple[float, float] | None = None  # a short stop at the far end that is not a hold exercise
    alternate: bool = False  # excursions alternate sides (knee twist)
    too_fast_p: float = 0.2
    hesitation_p: float = 0.15
    distractor_p: float = 0.3
    other_leg: bool = False  # marching: the other leg's lifts rock the pelvis a little


@dataclass(frozen=True)
class Plan:
    angle_deg: KnotTrack  # the deliberate joint angle
    hold_envelope: KnotTrack  # 1 while holding (sway rides on it), 0 otherwise
    reps: tuple[RepTruth, ...]
    holds: tuple[HoldTruth, ...]
    distractors: tuple[DistractorTruth, ...]
    duration_s: float
    nominal_amplitude_deg: float


class _Timeline:
    def __init__(self, start_s: float) -> None:
        self.knots: list[tuple[float, float]] = [(0.0, 0.0)]
        self.t = start_s
        self.angle = 0.0

    def go(self, to_deg: float, dur_s: float) -> float:
        """Move to ``to_deg`` in ``dur_s``; returns the planned peak speed in deg/s."""
        if self.t > self.knots[-1][0]:
            self.knots.append((self.t, self.angle))
        speed = MIN_JERK_PEAK_SPEED * abs(to_deg - self.angle) / dur_s
        self.t += dur_s
        self.angle = to_deg
        self.knots.append((self.t, to_deg))
        return speed


def _distractor(
    style: RepStyle, tl: _Timeline, a0: float, side: int, rng: np.random.Generator
) -> DistractorTruth:
    kinds = ["fidget", "partial", *(["other_leg"] if style.other_leg else [])]
    kind = kinds[int(rng.integers(len(kinds)))]
    base = tl.angle
    start = tl.t
    if kind == "fidget":
        amp, dur, sign = a0 * rng.uniform(0.04, 0.1), rng.uniform(0.4, 0.9), rng.choice([-1.0, 1.0])
    elif kind == "partial":
        amp, dur, sign = a0 * rng.uniform(0.12, 0.28), rng.uniform(1.0, 2.0), float(side)
    else:
        amp, dur, sign = a0 * rng.uniform(0.04, 0.08), rng.uniform(1.2, 2.2), -1.0
    tl.go(base + sign * amp, dur / 2)
    tl.go(base, dur / 2)
    out = DistractorTruth(kind, start, tl.t, float(amp))
    tl.t += rng.uniform(0.8, 2.0)
    return out


def plan_reps(style: RepStyle, reps: int, rng: np.random.Generator, start_rest_s: float) -> Plan:
    """Plan ``reps`` deliberate repetitions after ``start_rest_s`` of rest; ends with END_REST_S of rest."""
    tl = _Timeline(start_rest_s)
    env: list[tuple[float, float]] = [(0.0, 0.0)]
    a0 = rng.uniform(*style.amplitude_deg)
    spread = rng.uniform(0.15, 0.25)
    limit = style.speed_limit_dps
    out_reps: list[RepTruth] = []
    holds: list[HoldTruth] = []
    distractors: list[DistractorTruth] = []
    for k in range(reps):
        side = -1 if style.alternate and k % 2 else 1
        if k > 0 and rng.random() < style.distractor_p:
            distractors.append(_distractor(style, tl, a0, side, rng))
        amp = a0 * rng.uniform(1.0 - spread, 1.0 + spread)
        fast = rng.random() < style.too_fast_p
        slowest_half_s = MIN_JERK_PEAK_SPEED * amp / (_SLOW_MARGIN * limit)
        if fast:
            t_out = MIN_JERK_PEAK_SPEED * amp / (limit * rng.uniform(*_FAST_RANGE))
            t_back = MIN_JERK_PEAK_SPEED * amp / (limit * rng.uniform(*_FAST_RANGE))
        else:
            total = rng.uniform(*style.rep_s)
            frac = rng.uniform(0.42, 0.58)
            t_out, t_back = max(total * frac, slowest_half_s), max(total * (1 - frac), slowest_half_s)
        start_angle, start_t = tl.angle, tl.t
        peak_angle = start_angle + side * amp
        if not fast and rng.random() < style.hesitation_p:
            f = rng.uniform(0.35, 0.65)
            speed = tl.go(start_angle + side * amp * f, t_out * f)
            tl.t += rng.uniform(0.3, 0.8)
            speed = max(speed, tl.go(peak_angle, t_out * (1 - f)))
        else:
            speed = tl.go(peak_angle, t_out)
        t_peak = tl.t
        if style.hold_s is not None:
            hold = rng.uniform(*style.hold_s)
            env += [(t_peak, 0.0), (t_peak + _HOLD_RAMP_S, 1.0), (t_peak + hold - _HOLD_RAMP_S, 1.0)]
            env.append((t_peak + hold, 0.0))
            holds.append(HoldTruth(t_peak, hold))
            tl.t += hold
        elif style.pause_s is not None:
            tl.t += rng.uniform(*style.pause_s)
        # The limb seldom comes back to exactly the same rest angle.
        back_to = float(np.clip(start_angle + rng.uniform(-0.03, 0.03) * a0, -0.06 * a0, 0.06 * a0))
        speed = max(speed, tl.go(back_to, t_back))
        out_reps.append(RepTruth(start_t, t_peak, tl.t, float(amp), float(speed), bool(fast), side))
        if k < reps - 1:
            tl.t += rng.uniform(*style.rest_s) * (1.5 if style.hold_s else 1.0)
    duration = tl.t + END_REST_S
    return Plan(
        angle_deg=KnotTrack.from_pairs(tl.knots),
        hold_envelope=KnotTrack.from_pairs(env),
        reps=tuple(out_reps),
        holds=tuple(holds),
        distractors=tuple(distractors),
        duration_s=float(duration),
        nominal_amplitude_deg=float(a0),
    )
