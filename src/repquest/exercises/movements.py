"""Which movement an exercise is, and the engine settings that count it.

An exercise's ``engine`` names the movement the puck sees (a helper's knee straightening is still a knee
straightening; a therapist's towel slide is a heel slide). The movement decides the detector; the exercise's
dose (with a therapist's plan applied) decides the speed limit and the hold target. This is the one place
catalog data turns into :class:`repquest.dsp.EngineSettings`: the engine itself knows no exercise names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from repquest.dsp import DetectorKind, EngineSettings, engine_settings

if TYPE_CHECKING:
    from .model import Exercise

__all__ = ["GENERIC", "MOVEMENTS", "detector_of", "settings_of"]

GENERIC = "generic"

# Movement -> the detector that counts it.
MOVEMENTS: Mapping[str, DetectorKind] = {
    "knee_extension": "reps",
    "leg_raise": "reps",
    "prone_leg_raise": "reps",
    "seated_march": "reps",
    "leg_hug": "hold",
    "knee_twist": "twist",
    "leg_crossover": "reps",
    "ankle_pump": "reps",
    "heel_slide": "reps",
    "sit_to_stand": "reps",
    "walking": "gait",
    "arm_raise": "reps",
    "bicep_curl": "reps",
    "wrist_turn": "reps",
    "squeeze": "press",
    GENERIC: "reps",
}


def detector_of(exercise: Exercise) -> DetectorKind:
    """The detector of an exercise: its movement's, and "hold" for a held exercise of a plain movement."""
    kind = MOVEMENTS[exercise.engine]
    if kind == "reps" and exercise.kind == "hold":
        return "hold"
    return kind


def settings_of(exercise: Exercise) -> EngineSettings:
    """Engine settings from the exercise: its detector, its speed limit and its hold target, as dosed."""
    return engine_settings(
        detector_of(exercise),
        too_fast_dps=exercise.targets.speed_limit_dps,
        hold_target_s=exercise.targets.hold_s,
    )
