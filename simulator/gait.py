"""Walking seen from a puck on the foot, the shin or the thigh: healthy or hemiparetic gait, with turns.

Each stride of the puck leg is a swing (toe-off to heel strike: the segment turns forward about the leg's
mediolateral axis) and a longer stance (it turns back over the planted foot). Per placement, the sagittal
angle follows knots at toe-off, mid/late swing, heel strike and in stance (minimum jerk between them):

- thigh: back at toe-off, forward late in swing, back through stance;
- shin: far back at toe-off (knee flexed), forward late in swing, back through stance;
- foot: pitched down at toe-off (push-off), toes up at heel strike, flat through mid-stance (a rest), then
  heel-off; the foot also travels forward and lifts during swing, and stands still in stance.

Gaits: ``healthy`` (strides 0.95-1.25 s, swing ~40 %), ``hemi_affected`` (the weak leg: strides 1.5-3 s,
long swing, small ranges, weak push-off, foot drop, circumduction, soft landing) and ``hemi_unaffected``
(the strong leg of the same walker: slow, short swing). The walker starts standing (either leg first),
may turn (the whole leg yaws 90-180 degrees over about two shorter strides) and ends standing: the puck
leg's last swing either brings it alongside the other (a half swing) or is a full one. Every swing of the
puck leg is one stride of truth. Heel strikes add a short damped ringing to the accelerometer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .motion import MIN_JERK_PEAK_SPEED, FloatArray, KnotTrack, Oscillation, axis_rotation
from .schedule import END_REST_S
from .segments import Involuntary
from .simulated_set import ModelOutput
from .truth import RepTruth

__all__ = ["GAITS", "PLACEMENTS", "Gait", "Placement", "walking_model"]

Placement = Literal["foot", "shank", "thigh"]
Gait = Literal["healthy", "hemi_affected", "hemi_unaffected"]
PLACEMENTS: tuple[Placement, ...] = ("foot", "shank", "thigh")
GAITS: tuple[Gait, ...] = ("healthy", "hemi_affected", "hemi_unaffected")

_SAGITTAL_AXIS = np.array([0.0, -1.0, 0.0])  # positive angle: distal end (or toes) forward/up
_ABDUCTION_AXIS = np.array([1.0, 0.0, 0.0])  # positive angle: the foot swings out
_VERTICAL = np.array([0.0, 0.0, 1.0])
_IMPACT_DIR = np.array([-0.37, 0.0, 0.93])
# Sensor position from the joint the segment turns about (segment frame, m): hip, knee, ankle.
_LEVER_M = {
    "thigh": np.array([0.07, 0.0, -0.2]),
    "shank": np.array([0.05, 0.0, -0.2]),
    "foot": np.array([0.08, 0.0, 0.04]),
}
_JOINT_HEIGHT_M = {"thigh": 0.9, "shank": 0.5, "foot": 0.08}
_IMPACT_G = {"thigh": (0.3, 0.8), "shank": (0.8, 2.2), "foot": (2.0, 5.0)}


@dataclass(frozen=True)
class _Style:
    """How one walker moves the puck leg: timing, and the sagittal angles (deg) of its segment."""

    stride_s: tuple[float, float]
    swing_share: tuple[float, float]
    forward_deg: tuple[float, float]  # late swing (foot: toes up at heel strike)
    back_deg: tuple[float, float]  # at toe-off (foot: pitched down by the push-off)
    circumduction_deg: tuple[float, float]
    impact_scale: float
    clearance_m: tuple[float, float]
    stride_m: tuple[float, float]


def _style(placement: Placement, gait: Gait) -> _Style:
    healthy = gait == "healthy"
    weak = gait == "hemi_affected"
    stride = (0.95, 1.25) if healthy else (1.5, 3.0)
    swing = (0.36, 0.42) if healthy else (0.38, 0.47) if weak else (0.26, 0.34)
    circ = (3.0, 10.0) if weak else (0.0, 3.0)
    ranges = {
        # (forward, back) ranges per placement: healthy, weak leg, strong leg of a slow walker.
        "thigh": (((20.0, 28.0), (8.0, 15.0)), ((10.0, 18.0), (5.0, 10.0)), ((16.0, 24.0), (4.0, 8.0))),
        "shank": (((18.0, 28.0), (35.0, 55.0)), ((8.0, 15.0), (18.0, 30.0)), ((14.0, 22.0), (20.0, 35.0))),
        "foot": (((12.0, 25.0), (45.0, 70.0)), ((-5.0, 6.0), (25.0, 40.0)), ((8.0, 18.0), (25.0, 45.0))),
    }[placement]
    fwd, back = ranges[0 if healthy else 1 if weak else 2]
    return _Style(
        stride_s=stride,
        swing_share=swing,
        forward_deg=fwd,
        back_deg=back,
        circumduction_deg=circ,
        impact_scale=0.4 if weak else 1.0 if healthy else 0.7,
        clearance_m=(0.08, 0.15) if not weak else (0.03, 0.08),
        stride_m=(1.1, 1.5) if healthy else (0.4, 0.9),
    )


@dataclass(frozen=True)
class _Walk:
    placement: Placement
    sagittal_deg: KnotTrack
    circumduction_deg: KnotTrack
    yaw_deg: KnotTrack
    walking: KnotTrack  # 0 standing .. 1 walking, scales the body's bobbing
    foot_x_m: KnotTrack  # the foot's travel along its path (foot placement only)
    foot_z_m: KnotTrack  # the foot's lift in swing
    bob_m: Oscillation
    sway_m: Oscillation
    involuntary: Involuntary
    strike_t_s: FloatArray  # (m,)
    strike_g: FloatArray  # (m,)
    strike_hz: float
    strike_tau_s: float

    def pose(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        angle = self.sagittal_deg(t_s) + self.involuntary.tremor(t_s)
        yaw = axis_rotation(_VERTICAL, self.yaw_deg(t_s))
        r = yaw @ axis_rotation(_ABDUCTION_AXIS, self.circumduction_deg(t_s) + self.involuntary.wobble(t_s))
        r = r @ axis_rotation(_SAGITTAL_AXIS, angle)
        local = np.zeros((t_s.shape[0], 3))
        if self.placement == "foot":
            local[:, 0] = self.foot_x_m(t_s)
            local[:, 2] = _JOINT_HEIGHT_M["foot"] + self.foot_z_m(t_s)
        else:
            w = self.walking(t_s)
            local[:, 1] = w * self.sway_m(t_s)
            local[:, 2] = _JOINT_HEIGHT_M[self.placement] + w * self.bob_m(t_s)
        # The path turns with the walker (about the start point: turns are short, slow steps).
        joint = np.einsum("nij,nj->ni", yaw, local)
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


class _Knots:
    """Knot lists that only ever move forward in time (later knots at an equal time are dropped)."""

    def __init__(self, t0: float, value: float) -> None:
        self.pairs: list[tuple[float, float]] = [(0.0, value)] if t0 <= 0.0 else [(0.0, value), (t0, value)]

    def add(self, t: float, value: float) -> None:
        if t > self.pairs[-1][0] + 1e-3:
            self.pairs.append((t, value))

    def track(self) -> KnotTrack:
        return KnotTrack.from_pairs(self.pairs)


def _stride_knots(
    k: _Knots, placement: Placement, toe_off: float, strike: float, end: float, fwd: float, back: float
) -> None:
    """Swing from toe-off to heel strike, then stance until ``end`` (the next toe-off's knot comes later)."""
    swing, stance = strike - toe_off, end - strike
    if placement == "thigh":
        k.add(toe_off + 0.8 * swing, fwd)
        k.add(strike, fwd - 2.0)
    elif placement == "shank":
        k.add(toe_off + 0.85 * swing, fwd)
        k.add(strike, 0.85 * fwd)
    else:
        k.add(toe_off + 0.45 * swing, -0.25 * back)
        k.add(strike, fwd)
        k.add(strike + min(0.12, 0.2 * stance), 0.0)
        k.add(strike + 0.55 * stance, 0.0)


def walking_model(
    strides: int,
    rng: np.random.Generator,
    start_rest_s: float,
    *,
    placement: Placement = "shank",
    gait: Gait | None = None,
    turn: bool | None = None,
    seated: bool = False,
) -> ModelOutput:
    """``strides`` swings of the puck leg (truth reps == steps == strides).

    ``gait`` None draws one of :data:`GAITS`; ``turn`` None turns on half of the walks of 6 strides or more.
    ``seated``: the walker stands up from a chair first and sits down again at the end (as in a timed
    up-and-go test): the thigh turns a quarter turn each time, the shin a little, the foot not at all.
    """
    gait = gait if gait is not None else GAITS[int(rng.integers(len(GAITS)))]
    turn = turn if turn is not None else bool(rng.random() < 0.5)
    st = _style(placement, gait)
    stride0 = rng.uniform(*st.stride_s)
    share = rng.uniform(*st.swing_share)
    fwd0, back0 = rng.uniform(*st.forward_deg), rng.uniform(*st.back_deg)
    circ0 = rng.uniform(*st.circumduction_deg)
    step_m, lift_m = rng.uniform(*st.stride_m), rng.uniform(*st.clearance_m)
    turn_at = int(rng.integers(2, strides - 3)) if turn and strides >= 6 else -1
    turn_deg = float(rng.choice([-180.0, -90.0, 90.0, 180.0]))
    puck_first = bool(rng.random() < 0.5)
    closing = bool(rng.random() < 0.5)

    seat = {"thigh": rng.uniform(75.0, 90.0), "shank": rng.uniform(-5.0, 15.0), "foot": 0.0}[placement]
    t = start_rest_s
    sag, circ, yaw = _Knots(t, seat if seated else 0.0), _Knots(t, 0.0), _Knots(t, 0.0)
    walk_on, fx, fz = _Knots(t, 0.0), _Knots(t, 0.0), _Knots(t, 0.0)
    if seated:
        t += rng.uniform(1.2, 2.5)  # standing up
        sag.add(t, 0.0)
        t += rng.uniform(0.5, 2.0)  # getting balanced
        sag.add(t, 0.0)
    # Standing start: the puck leg pushes off at once, or first bears weight while the other leg steps.
    lead = rng.uniform(0.35, 0.6) if puck_first else stride0 * (1.0 - share) * rng.uniform(0.5, 0.8)
    if strides == 0:
        lead = 0.0
    elif placement == "foot":
        sag.add(t + 0.5 * lead, 0.0)
    t += lead
    back = back0 * (0.6 if puck_first else 0.85) * rng.uniform(0.9, 1.1)
    if strides > 0:
        sag.add(t, -back)
        walk_on.add(t, 1.0)
    reps: list[RepTruth] = []
    strikes: list[float] = []
    x = 0.0
    for k in range(strides):
        near_turn = turn_at >= 0 and turn_at <= k <= turn_at + 1
        scale = rng.uniform(0.55, 0.75) if near_turn else 1.0
        stride = stride0 * rng.uniform(0.92, 1.08)
        swing = stride * share * rng.uniform(0.95, 1.05)
        stance = stride - swing
        fwd = fwd0 * scale * rng.uniform(0.85, 1.15)
        toe_off, strike = t, t + swing
        last = k == strides - 1
        if last and closing:
            # The puck leg comes alongside the other one: a short swing (still forward a little, to clear
            # the floor) that ends standing.
            sag.add(toe_off + 0.7 * swing, 0.4 * fwd if placement != "foot" else -0.2 * back)
            t = strike + 0.3
            sag.add(t, 0.0)
            swing_deg = back + (0.4 * fwd if placement != "foot" else 0.0)
        else:
            end = strike + (0.6 * stance if last else stance)
            _stride_knots(sag, placement, toe_off, strike, end, fwd, back)
            swing_deg = back + fwd
            t = end
            back = back0 * scale * rng.uniform(0.85, 1.15)
            sag.add(t, 0.0 if last else -back)
        circ.add(toe_off, 0.0)
        circ.add(toe_off + swing / 2, circ0 * rng.uniform(0.8, 1.2))
        circ.add(strike, 0.0)
        length = step_m * (0.5 if last and closing else scale) * rng.uniform(0.9, 1.1)
        fx.add(toe_off, x)
        fz.add(toe_off, 0.0)
        fz.add(toe_off + 0.4 * swing, lift_m * scale)
        fz.add(strike, 0.0)
        x += length
        fx.add(strike, x)
        if turn_at >= 0 and k == turn_at:
            yaw.add(toe_off, 0.0)
        if turn_at >= 0 and k == turn_at + 1:
            yaw.add(t, turn_deg)
        strikes.append(strike)
        peak = MIN_JERK_PEAK_SPEED * swing_deg / (0.8 * swing)
        reps.append(RepTruth(toe_off, strike, t, float(swing_deg), float(peak), False))
    walk_on.add(t, 0.0)
    if strides == 0 and not seated:
        t = start_rest_s
    if seated:
        t += rng.uniform(0.5, 1.5)
        sag.add(t, 0.0)
        t += rng.uniform(1.2, 2.5)  # sitting down
        sag.add(t, seat)
    walk = _Walk(
        placement=placement,
        sagittal_deg=sag.track(),
        circumduction_deg=circ.track(),
        yaw_deg=yaw.track(),
        walking=walk_on.track(),
        foot_x_m=fx.track(),
        foot_z_m=fz.track(),
        bob_m=Oscillation(
            rng.uniform(0.01, 0.025, 2),
            np.array([1.0 / stride0, 2.0 / stride0]),
            rng.uniform(0, 2 * np.pi, 2),
        ),
        sway_m=Oscillation(
            rng.uniform(0.01, 0.03, 1), np.array([1.0 / stride0]), rng.uniform(0, 2 * np.pi, 1)
        ),
        involuntary=Involuntary.random(rng),
        strike_t_s=np.asarray(strikes, dtype=np.float64),
        strike_g=rng.uniform(*_IMPACT_G[placement], size=len(strikes)) * st.impact_scale,
        strike_hz=float(rng.uniform(22.0, 32.0)),
        strike_tau_s=float(rng.uniform(0.012, 0.02)),
    )
    return ModelOutput(
        placement=placement,
        pose=walk.pose,
        lever_arm_m=_LEVER_M[placement],
        duration_s=float(t + END_REST_S),
        speed_limit_dps=2048.0,
        reps=tuple(reps),
        steps=strides,
        extra_acc_w=walk.impacts,
        nominal_amplitude_deg=float(fwd0 + back0),
    )
