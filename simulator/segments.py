"""Pose of a body segment turning about one joint, with the small involuntary motion of a real limb.

World frame: x forward (towards the feet when lying down), y to the person's left, z up. At joint angle 0 the
segment frame equals the world frame, so a "neutral" mounting reads +1 g on z with the limb at rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .motion import FloatArray, KnotTrack, Oscillation, axis_rotation, unit

__all__ = ["HingeMotion", "Involuntary", "perpendicular"]


def perpendicular(axis: FloatArray, rng: np.random.Generator) -> FloatArray:
    """A random unit vector perpendicular to ``axis``."""
    v = rng.normal(size=3)
    v -= v.dot(axis) * axis
    return unit(v)


@dataclass(frozen=True)
class Involuntary:
    """Physiological tremor (4-8 Hz) on the joint axis, slow postural drift and tremor about a crossing axis,
    and sway while holding a position. Amplitudes in degrees.

    Tremor angles are tiny: at 8 Hz, 0.003° on a 0.35 m lever is already 0.005 g, about what a shin sensor
    shows at rest in the UCI recordings.
    """

    tremor: Oscillation
    wobble: Oscillation
    sway: Oscillation

    @staticmethod
    def random(rng: np.random.Generator, scale: float = 1.0) -> Involuntary:
        slow = Oscillation.random(rng, 2, (0.08, 0.4), (0.15 * scale, 0.45 * scale))
        fine = Oscillation.random(rng, 2, (4.0, 8.0), (0.001 * scale, 0.002 * scale))
        return Involuntary(
            tremor=Oscillation.random(rng, 3, (4.0, 8.0), (0.001 * scale, 0.003 * scale)),
            wobble=Oscillation(
                np.concatenate([slow.amp, fine.amp]),
                np.concatenate([slow.freq_hz, fine.freq_hz]),
                np.concatenate([slow.phase_rad, fine.phase_rad]),
            ),
            sway=Oscillation.random(rng, 3, (0.15, 0.6), (0.4 * scale, 1.0 * scale)),
        )


@dataclass(frozen=True)
class HingeMotion:
    """A segment rotating by ``angle_deg(t)`` about the world axis ``axis_w`` through ``joint_w``.

    ``joint_path`` moves the joint with the deliberate angle (e.g. the knee rising in a heel slide): it maps
    the angle (n,) in degrees to a world offset (n, 3) in metres.
    """

    angle_deg: KnotTrack
    hold_envelope: KnotTrack
    axis_w: FloatArray
    wobble_axis_w: FloatArray
    joint_w: FloatArray
    involuntary: Involuntary
    joint_path: Callable[[FloatArray], FloatArray] | None = None

    def deliberate(self, t_s: FloatArray) -> FloatArray:
        return self.angle_deg(t_s)

    def pose(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Orientation (n, 3, 3) segment -> world and joint position (n, 3) in metres at ``t_s`` (n,)."""
        plan = self.angle_deg(t_s)
        inv = self.involuntary
        angle = plan + inv.tremor(t_s) + self.hold_envelope(t_s) * inv.sway(t_s)
        r = axis_rotation(self.wobble_axis_w, inv.wobble(t_s)) @ axis_rotation(self.axis_w, angle)
        joint = np.broadcast_to(self.joint_w, (t_s.shape[0], 3)).copy()
        if self.joint_path is not None:
            joint += self.joint_path(plan)
        return r, joint
