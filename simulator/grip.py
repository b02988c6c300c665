"""Squeeze: the puck held in the hand, still-ish, while the force pad is pressed and released.

Each press rises in 0.15-0.4 s, holds 0.3-1.5 s while the grip fades a little, and lets go in 0.2-0.5 s. The
hand drifts and trembles more than a strapped limb, and tips the puck by a degree or two as the fingers close.
Light touches of the pad between presses are distractors.
"""

from __future__ import annotations

import numpy as np

from .motion import KnotTrack, unit
from .schedule import END_REST_S
from .segments import HingeMotion, Involuntary, perpendicular
from .simulated_set import ModelOutput
from .truth import DistractorTruth, PressTruth, RepTruth

__all__ = ["squeeze_model"]

_WRIST_W = np.array([0.0, 0.0, 0.75])
_TIP_PER_NOMINAL_DEG = 1.5  # wrist flexion at a nominal-strength press


def squeeze_model(presses: int, rng: np.random.Generator, start_rest_s: float) -> ModelOutput:
    """``presses`` deliberate presses of the force pad (truth reps == presses)."""
    nominal_n = rng.uniform(15.0, 60.0)
    spread = rng.uniform(0.15, 0.25)
    knots: list[tuple[float, float]] = [(0.0, 0.0)]
    t = start_rest_s
    reps: list[RepTruth] = []
    truth: list[PressTruth] = []
    distractors: list[DistractorTruth] = []

    def pulse(peak: float, rise: float, plateau: float, release: float, fade: float) -> float:
        nonlocal t
        onset = t
        if onset > knots[-1][0]:
            knots.append((onset, 0.0))
        knots.extend([(onset + rise, peak), (onset + rise + plateau, peak * fade)])
        t = onset + rise + plateau + release
        knots.append((t, 0.0))
        return onset

    for k in range(presses):
        if k > 0 and rng.random() < 0.3:
            touch = rng.uniform(1.5, 4.0)
            onset = pulse(touch, rng.uniform(0.1, 0.2), rng.uniform(0.05, 0.2), rng.uniform(0.1, 0.2), 1.0)
            distractors.append(DistractorTruth("light_touch", onset, t, 0.0))
            t += rng.uniform(0.8, 2.0)
        peak = nominal_n * rng.uniform(1.0 - spread, 1.0 + spread)
        rise = rng.uniform(0.15, 0.4)
        onset = pulse(peak, rise, rng.uniform(0.3, 1.5), rng.uniform(0.2, 0.5), rng.uniform(0.85, 0.95))
        reps.append(RepTruth(onset, onset + rise, t, 0.0, 0.0, False))
        truth.append(PressTruth(onset, float(peak), t - onset))
        if k < presses - 1:
            t += rng.uniform(1.5, 4.0)
    force = KnotTrack.from_pairs(knots)
    tip = KnotTrack(force.t_s, force.value * (_TIP_PER_NOMINAL_DEG / nominal_n))
    axis = unit(rng.normal(size=3))
    hand = HingeMotion(
        angle_deg=tip,
        hold_envelope=KnotTrack.from_pairs([(0.0, 0.0)]),
        axis_w=axis,
        wobble_axis_w=perpendicular(axis, rng),
        joint_w=_WRIST_W,
        involuntary=Involuntary.random(rng, scale=2.0),
    )
    return ModelOutput(
        placement="hand",
        pose=hand.pose,
        lever_arm_m=np.array([0.07, 0.0, 0.02]),
        duration_s=float(t + END_REST_S),
        speed_limit_dps=2048.0,
        reps=tuple(reps),
        distractors=tuple(distractors),
        presses=tuple(truth),
        force_n=force,
        nominal_amplitude_deg=0.0,
    )
