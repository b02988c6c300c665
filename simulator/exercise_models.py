"""Motion models of every exercise, and :func:`build_set`, the one way to make a simulated set.

Most exercises are a limb segment turning about one joint (see :data:`HINGES`): where the puck sits, the
joint axis in the world, the sensor's lever arm from the joint, and the rep style (range, tempo, speed limit,
holds).
Walking (``gait``) and squeeze (``grip``) have models of their own.

A passive variant (a helper moves the limb) is the active exercise's joint done the helper's way: slower and
steadier, seldom rushed, never further than the limb goes easily, and with the helper's own speed limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from repquest.errors import UsageError

from .gait import walking_model
from .grip import squeeze_model
from .imu import SensorErrors
from .motion import FloatArray, random_rotation, unit
from .schedule import RepStyle, plan_reps
from .segments import HingeMotion, Involuntary, perpendicular
from .simulated_set import ModelOutput, SimulatedSet
from .truth import SetTruth

__all__ = ["EXERCISE_IDS", "HINGES", "HingeSpec", "SimulatedSet", "build_set"]

EXERCISE_IDS: tuple[str, ...] = (
    "knee_extension",
    "leg_raise",
    "prone_leg_raise",
    "seated_march",
    "leg_hug",
    "knee_twist",
    "leg_crossover",
    "ankle_pump",
    "heel_slide",
    "sit_to_stand",
    "walking",
    "arm_raise",
    "bicep_curl",
    "wrist_turn",
    "squeeze",
    "generic",
    # The rest of the exercise catalog: helper-moved (passive) variants, and exercises of their own.
    "leg_hug_both",
    "leg_hug_passive",
    "knee_extension_passive",
    "ankle_pump_passive",
    "heel_slide_passive",
    "arm_raise_passive",
    "wall_stretch",
    "leg_press",
    "reach",
    "free_movement",
)

Vec3 = tuple[float, float, float]
_LIFT: Vec3 = (
    0.0,
    -1.0,
    0.0,
)  # about this axis a positive angle lifts a segment pointing +x (or swings -z to +x)


@dataclass(frozen=True)
class HingeSpec:
    """A segment turning about a joint. Lever arm and joint position in metres.

    World: x forward (to the feet when lying down), y left, z up; at angle 0 segment frame = world frame.
    """

    placement: str
    axis_w: Vec3
    lever_arm_m: Vec3
    style: RepStyle
    joint_w: Vec3 = (0.0, 0.0, 0.0)
    joint_path: Callable[[FloatArray], FloatArray] | None = None


def _heel_slide_knee(angle_deg: FloatArray) -> FloatArray:
    # Heel stays on the bed: with thigh and shank both 0.45 m the knee rises on a circle about the hip.
    a = np.deg2rad(angle_deg)
    return 0.45 * np.stack([np.cos(a) - 1.0, np.zeros_like(a), np.sin(a)], axis=1)


def _sit_to_stand_knee(angle_deg: FloatArray) -> FloatArray:
    # The knee comes forward over the toes while rising, and back as the hips lock out.
    a = np.deg2rad(angle_deg)
    return np.stack([0.06 * np.sin(2.0 * a), np.zeros_like(a), np.zeros_like(a)], axis=1)


HINGES: dict[str, HingeSpec] = {
    # Seated, shank hanging; the foot swings forward and up.
    "knee_extension": HingeSpec("shank", _LIFT, (0.05, 0.0, -0.35), RepStyle((40.0, 75.0), 130.0)),
    # Lying on the back, straight leg along +x lifted from the hip.
    "leg_raise": HingeSpec("thigh", _LIFT, (0.25, 0.0, 0.07), RepStyle((25.0, 55.0), 90.0)),
    # Lying face down, straight leg lifted backwards (hip extension): small range.
    "prone_leg_raise": HingeSpec(
        "thigh", _LIFT, (0.25, 0.0, 0.07), RepStyle((12.0, 30.0), 60.0, rep_s=(2.0, 4.5))
    ),
    # Seated, thigh along +x lifted from the hip; the other leg's lifts rock the pelvis.
    "seated_march": HingeSpec(
        "thigh", _LIFT, (0.2, 0.0, 0.06), RepStyle((15.0, 35.0), 70.0, rep_s=(1.8, 3.5), other_leg=True)
    ),
    # Lying on the back, knee pulled to the chest and held 10-15 s.
    "leg_hug": HingeSpec(
        "thigh",
        _LIFT,
        (0.2, 0.0, 0.07),
        RepStyle((70.0, 110.0), 120.0, rep_s=(3.0, 6.0), rest_s=(2.0, 5.0), hold_s=(10.0, 15.0)),
    ),
    # Hook-lying, knees bent (thigh 45° up); both knees fall to one side, back, then to the other side.
    "knee_twist": HingeSpec(
        "thigh", (1.0, 0.0, 0.0), (0.21, 0.0, 0.26), RepStyle((20.0, 45.0), 70.0, alternate=True)
    ),
    # Lying on the back, straight leg slid out sideways over the bed and back: gravity hardly changes.
    "leg_crossover": HingeSpec("thigh", (0.0, 0.0, 1.0), (0.3, 0.0, 0.07), RepStyle((15.0, 35.0), 60.0)),
    # Seated, heel down, toes pulled up (dorsiflexion) and let down.
    "ankle_pump": HingeSpec(
        "foot", _LIFT, (0.1, 0.0, 0.04), RepStyle((15.0, 35.0), 80.0, rep_s=(1.5, 3.0), rest_s=(0.6, 2.0))
    ),
    # Lying on the back, heel slid towards the buttock: the shank tilts while the knee rises.
    "heel_slide": HingeSpec(
        "shank",
        (0.0, 1.0, 0.0),
        (0.2, 0.0, 0.06),
        RepStyle((35.0, 70.0), 70.0, rep_s=(3.0, 6.0)),
        joint_w=(0.45, 0.0, 0.0),
        joint_path=_heel_slide_knee,
    ),
    # Thigh turning about the knee from level (seated) to upright (standing): the hips rise 0.4 m.
    "sit_to_stand": HingeSpec(
        "thigh",
        (0.0, 1.0, 0.0),
        (-0.2, 0.0, 0.07),
        RepStyle((70.0, 90.0), 90.0, rep_s=(3.0, 6.0), rest_s=(1.5, 4.0), pause_s=(0.5, 2.0)),
        joint_w=(0.0, 0.0, 0.5),
        joint_path=_sit_to_stand_knee,
    ),
    # Seated, arm hanging, raised forward with the puck in the hand.
    "arm_raise": HingeSpec("hand", _LIFT, (0.0, 0.0, -0.6), RepStyle((60.0, 120.0), 120.0, rep_s=(3.0, 6.0))),
    # Forearm hanging, elbow flexed; puck in the hand.
    "bicep_curl": HingeSpec("hand", _LIFT, (0.0, 0.0, -0.3), RepStyle((70.0, 130.0), 150.0)),
    # Forearm on a table along +x, turned palm down to palm up and back (pronation/supination).
    "wrist_turn": HingeSpec(
        "hand", (1.0, 0.0, 0.0), (0.05, 0.0, 0.03), RepStyle((60.0, 150.0), 180.0, rep_s=(2.0, 4.0))
    ),
}


def _leg_press_ankle(angle_deg: FloatArray) -> FloatArray:
    # The foot rides on the plate: as the knee straightens the plate (and the ankle) moves away, ~0.3 m.
    return np.stack([0.006 * angle_deg, np.zeros_like(angle_deg), np.zeros_like(angle_deg)], axis=1)


def _reach_wrist(angle_deg: FloatArray) -> FloatArray:
    # The elbow opens as the hand goes forward: the hand travels ~0.3 m while it tilts up a little.
    a = np.deg2rad(angle_deg)
    return np.stack([0.6 * np.sin(a), np.zeros_like(a), 0.1 * (1.0 - np.cos(a))], axis=1)


HINGES.update(
    {
        # Both knees hugged to the chest: the pelvis rolls back with them, so a little more range, longer holds.
        "leg_hug_both": HingeSpec(
            "thigh",
            _LIFT,
            (0.2, 0.0, 0.07),
            RepStyle((80.0, 120.0), 120.0, rep_s=(4.0, 7.0), rest_s=(2.0, 5.0), hold_s=(12.0, 18.0)),
        ),
        # Standing facing a wall, leaning in: the shin tilts forward over the planted foot (ankle dorsiflexion)
        # and the lean is held for a calf stretch.
        "wall_stretch": HingeSpec(
            "shank",
            (0.0, 1.0, 0.0),
            (0.03, 0.0, 0.25),
            RepStyle((18.0, 30.0), 60.0, rep_s=(3.0, 6.0), rest_s=(2.0, 5.0), hold_s=(12.0, 18.0)),
        ),
        # Seated on a leg press, puck on the shin: the shin turns about the ankle on the moving plate.
        "leg_press": HingeSpec(
            "shank",
            _LIFT,
            (0.05, 0.0, 0.3),
            RepStyle((35.0, 60.0), 90.0, rep_s=(2.5, 5.0), pause_s=(0.3, 1.0)),
            joint_path=_leg_press_ankle,
        ),
        # Seated at a table, puck in the hand: the hand goes forward and tilts up as the shoulder flexes.
        "reach": HingeSpec(
            "hand",
            _LIFT,
            (0.05, 0.0, 0.03),
            RepStyle((20.0, 45.0), 150.0, rep_s=(2.5, 5.0)),
            joint_w=(0.0, 0.0, 0.0),
            joint_path=_reach_wrist,
        ),
    }
)

# Passive variants: the active exercise's joint and placement with a helper's pace and limit.
_PASSIVE: dict[str, tuple[str, RepStyle]] = {
    "leg_hug_passive": (
        "leg_hug",
        RepStyle(
            (60.0, 100.0), 90.0, rep_s=(4.0, 7.0), rest_s=(2.0, 5.0), hold_s=(9.0, 13.0), too_fast_p=0.1
        ),
    ),
    "knee_extension_passive": (
        "knee_extension",
        RepStyle((30.0, 65.0), 90.0, rep_s=(3.0, 6.0), too_fast_p=0.1),
    ),
    "ankle_pump_passive": (
        "ankle_pump",
        RepStyle((12.0, 28.0), 60.0, rep_s=(2.0, 4.0), rest_s=(0.8, 2.5), too_fast_p=0.1),
    ),
    "heel_slide_passive": ("heel_slide", RepStyle((30.0, 60.0), 60.0, rep_s=(4.0, 7.0), too_fast_p=0.1)),
    "arm_raise_passive": ("arm_raise", RepStyle((45.0, 100.0), 80.0, rep_s=(4.0, 7.0), too_fast_p=0.1)),
}
HINGES.update({ex: replace(HINGES[active], style=style) for ex, (active, style) in _PASSIVE.items()})


def _hinge_model(spec: HingeSpec, reps: int, rng: np.random.Generator, start_rest_s: float) -> ModelOutput:
    plan = plan_reps(spec.style, reps, rng, start_rest_s)
    axis = unit(spec.axis_w)
    motion = HingeMotion(
        angle_deg=plan.angle_deg,
        hold_envelope=plan.hold_envelope,
        axis_w=axis,
        wobble_axis_w=perpendicular(axis, rng),
        joint_w=np.asarray(spec.joint_w, dtype=np.float64),
        involuntary=Involuntary.random(rng),
        joint_path=spec.joint_path,
    )
    return ModelOutput(
        placement=spec.placement,
        pose=motion.pose,
        lever_arm_m=np.asarray(spec.lever_arm_m, dtype=np.float64),
        duration_s=plan.duration_s,
        speed_limit_dps=spec.style.speed_limit_dps,
        reps=plan.reps,
        holds=plan.holds,
        distractors=plan.distractors,
        nominal_amplitude_deg=plan.nominal_amplitude_deg,
    )


def _generic_spec(rng: np.random.Generator, speed_limit_dps: float = 120.0) -> HingeSpec:
    lever = unit(rng.normal(size=3)) * rng.uniform(0.05, 0.5)
    axis = unit(rng.normal(size=3))
    return HingeSpec(
        "any",
        (float(axis[0]), float(axis[1]), float(axis[2])),
        (float(lever[0]), float(lever[1]), float(lever[2])),
        RepStyle((30.0, 90.0), speed_limit_dps, rep_s=(2.0, 5.0)),
    )


# Any movement about any axis: the person repeats one movement their therapist showed them.
_FREE = {"generic": 120.0, "free_movement": 150.0}


def _mounting(mounting: Literal["random", "neutral"] | FloatArray, rng: np.random.Generator) -> FloatArray:
    if isinstance(mounting, str):
        if mounting == "random":
            return random_rotation(rng)
        if mounting == "neutral":
            return np.eye(3)
        raise UsageError(f"mounting must be 'random', 'neutral' or a 3x3 rotation matrix, not {mounting!r}")
    m = np.asarray(mounting, dtype=np.float64)
    if m.shape != (3, 3) or not np.allclose(m @ m.T, np.eye(3), atol=1e-6) or np.linalg.det(m) < 0:
        raise UsageError("mounting must be a proper 3x3 rotation matrix (orthonormal, determinant +1)")
    return m.copy()


def build_set(
    exercise_id: str,
    reps: int,
    *,
    seed: int = 0,
    rate_hz: float = 100.0,
    mounting: Literal["random", "neutral"] | FloatArray = "random",
    noise: bool = True,
    start_rest_s: float = 2.0,
) -> SimulatedSet:
    """Simulate one set of ``reps`` deliberate repetitions of ``exercise_id``.

    Args:
        exercise_id: one of :data:`EXERCISE_IDS`.
        reps: deliberate repetitions (strides for walking, presses for squeeze), >= 0.
        seed: everything random (motion, mounting, sensor errors) follows from it and the exercise id.
        rate_hz: the default rate of :meth:`SimulatedSet.time_axis`; sampling works at any times.
        mounting: "random" (uniform over all orientations), "neutral" (sensor axes = segment axes), or a
            (3, 3) rotation taking sensor-frame vectors to the segment frame.
        noise: add sensor white noise and biases (the person's tremor and sway are always there).
        start_rest_s: rest before the first rep; the set also ends with 2 s of rest.
    """
    if exercise_id not in EXERCISE_IDS:
        raise UsageError(f"unknown exercise {exercise_id!r}; valid ids: {', '.join(EXERCISE_IDS)}")
    if reps < 0 or rate_hz <= 0 or start_rest_s < 0:
        raise UsageError("reps and start_rest_s must be >= 0 and rate_hz > 0")
    key = zlib.crc32(exercise_id.encode())
    motion_rng, mount_rng, error_rng = (
        np.random.default_rng(np.random.SeedSequence([seed & 0xFFFFFFFF, seed >> 32 & 0xFFFFFFFF, key, k]))
        for k in range(3)
    )
    if exercise_id == "walking":
        model = walking_model(reps, motion_rng, start_rest_s)
    elif exercise_id == "squeeze":
        model = squeeze_model(reps, motion_rng, start_rest_s)
    else:
        spec = (
            HINGES[exercise_id] if exercise_id not in _FREE else _generic_spec(motion_rng, _FREE[exercise_id])
        )
        model = _hinge_model(spec, reps, motion_rng, start_rest_s)
    mount = _mounting(mounting, mount_rng)
    errors = SensorErrors.random(error_rng, key=(seed * 1_000_003 + key) & 0x7FFFFFFFFFFFFFFF)
    truth = SetTruth(
        exercise=exercise_id,
        reps=len(model.reps),
        rep_events=model.reps,
        seed=seed,
        mounting=tuple((float(r[0]), float(r[1]), float(r[2])) for r in mount),
        duration_s=model.duration_s,
        rate_hz=float(rate_hz),
        speed_limit_dps=model.speed_limit_dps,
        holds=model.holds,
        steps=model.steps,
        presses=model.presses,
        distractors=model.distractors,
        placement=model.placement,
        notes={"nominal_amplitude_deg": model.nominal_amplitude_deg},
    )
    return SimulatedSet(model, mount, errors if noise else SensorErrors.none(), truth, float(rate_hz))
