"""Walking seen from a puck on the shin of the weaker leg: slow, asymmetric hemiparetic gait.

Each stride of the puck leg: a swing (toe-off to heel strike, the shank swings forward fast, with some
circumduction: the foot swings out), then a longer stance (the shank tilts back slowly over the planted foot).
Heel strikes add a short damped ringing to the accelerometer. The walker starts and ends standing still.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .motion import MIN_JERK_PEAK_SPEED, FloatArray, KnotTrack, Oscillation, axis_rotation
from .schedule import END_REST_S
from .segments import Involuntary
from .simulated_set import ModelOutput
from .truth import RepTruth

__all__ = ["walking_model"]

_SHANK_AXIS = np.array([0.0, -1.0, 0.0])  # positive angle: foot forward of the knee
_ABDUCTION_AXIS = np.array([1.0, 0.0, 0.0])  # positive angle: foot out to the left
_KNEE_W = np.array([0.0, 0.0, 0.5])
_IMPACT_DIR = np.array([-0.37, 0.0, 0.93])


@dataclass(frozen=True)
class _Gait:
    shank_deg: KnotTrack
    circumduction_deg: KnotTrack
    walking: KnotTrack  # 0 standing .. 1 walking, scales the body's bobbing
    bob_m: Oscillation
    sway_m: Oscillation
    involuntary: Involuntary
    strike_t_s: FloatArray  # (m,)
    strike_g: FloatArray  # (m,)
    strike_hz: float
    strike_tau_s: float

    def pose(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        angle = self.shank_deg(t_s) + self.involuntary.tremor(t_s)
        r = axis_rotation(_ABDUCTION_AXIS, self.circumduction_deg(t_s) + self.involuntary.wobble(t_s))
        r = r @ axis_rotation(_SHANK_AXIS, angle)
        w = self.walking(t_s)
        joint = np.empty((t_s.shape[0], 3))
        joint[:, 0] = _KNEE_W[0]
        joint[:, 1] = _KNEE_W[1] + w * self.sway_m(t_s)
        joint[:, 2] = _KNEE_W[2] + w * self.bob_m(t_s)
        return r, joint

    def impacts(self, t_s: FloatArray) -> FloatArray:
        """World acceleration (n, 3), m/s², of heel-strike ringing (only the latest strike still rings)."""
        if self.strike_t_s.size == 0:
            return np.zeros((t_s.shape[0], 3))
        i = np.searchsorted(self.strike_t_s, t_s, side="right") - 1
        valid = i >= 0
        dt = np.where(valid, t_s - self.strike_t_s[np.maximum(i, 0)], 1.0)
        amp = np.where(valid, self.strike_g[np.maximum(i, 0)], 0.0) * 9.80665
        ring = amp * np.exp(-dt / self.strike_tau_s) * np.sin(2.0 * np.pi * self.strike_hz * dt)
        ring = np.where(dt < 0.25, ring, 0.0)
        out: FloatArray = ring[:, None] * _IMPACT_DIR
        return out


def walking_model(strides: int, rng: np.random.Generator, start_rest_s: float) -> ModelOutput:
    """``strides`` strides of the puck leg (truth reps == steps == strides)."""
    stride0 = rng.uniform(1.2, 2.5)
    swing_frac = rng.uniform(0.33, 0.45)
    fwd0, back0, circ0 = rng.uniform(10.0, 18.0), rng.uniform(18.0, 32.0), rng.uniform(3.0, 9.0)
    t = start_rest_s
    back = back0 * rng.uniform(0.85, 1.15)
    first_stance = stride0 * (1.0 - swing_frac) * rng.uniform(0.5, 0.8)
    knots = (
        [(0.0, 0.0), (t, 0.0), (t + first_stance, -back)] if t > 0 else [(0.0, 0.0), (first_stance, -back)]
    )
    circ: list[tuple[float, float]] = [(0.0, 0.0)]
    t += first_stance
    walk_on = [(0.0, 0.0), (start_rest_s, 0.0), (t, 1.0)] if start_rest_s > 0 else [(0.0, 0.0), (t, 1.0)]
    reps: list[RepTruth] = []
    strikes: list[float] = []
    for k in range(strides):
        stride = stride0 * rng.uniform(0.9, 1.1)
        swing = stride * swing_frac * rng.uniform(0.92, 1.08)
        stance = stride - swing
        fwd = fwd0 * rng.uniform(0.85, 1.15)
        toe_off, heel_strike = t, t + swing
        knots.append((heel_strike, fwd))
        circ += [(toe_off, 0.0), (toe_off + swing / 2, circ0 * rng.uniform(0.8, 1.2)), (heel_strike, 0.0)]
        strikes.append(heel_strike)
        swing_deg = fwd + back
        if k == strides - 1:
            t = heel_strike + 0.6 * stance  # the other leg comes alongside; stand still
            knots.append((t, 0.0))
            walk_on += [(heel_strike, 1.0), (t, 0.0)]
        else:
            back = back0 * rng.uniform(0.85, 1.15)
            t = heel_strike + stance
            knots.append((t, -back))
        speed = MIN_JERK_PEAK_SPEED * swing_deg / swing
        reps.append(RepTruth(toe_off, heel_strike, t, float(swing_deg), float(speed), False))
    if strides == 0:
        knots, walk_on, t = [(0.0, 0.0)], [(0.0, 0.0)], start_rest_s
    freq = 1.0 / stride0
    gait = _Gait(
        shank_deg=KnotTrack.from_pairs(knots),
        circumduction_deg=KnotTrack.from_pairs(circ),
        walking=KnotTrack.from_pairs(walk_on),
        bob_m=Oscillation(
            rng.uniform(0.01, 0.025, 2), np.array([freq, 2 * freq]), rng.uniform(0, 2 * np.pi, 2)
        ),
        sway_m=Oscillation(rng.uniform(0.01, 0.03, 1), np.array([freq]), rng.uniform(0, 2 * np.pi, 1)),
        involuntary=Involuntary.random(rng),
        strike_t_s=np.asarray(strikes, dtype=np.float64),
        strike_g=rng.uniform(0.8, 2.2, size=len(strikes)),
        strike_hz=float(rng.uniform(22.0, 32.0)),
        strike_tau_s=float(rng.uniform(0.012, 0.02)),
    )
    return ModelOutput(
        placement="shank",
        pose=gait.pose,
        lever_arm_m=np.array([0.05, 0.0, -0.2]),
        duration_s=float(t + END_REST_S),
        speed_limit_dps=2048.0,
        reps=tuple(reps),
        steps=strides,
        extra_acc_w=gait.impacts,
        nominal_amplitude_deg=float(fwd0 + back0),
    )
