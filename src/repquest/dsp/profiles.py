"""What the engine needs to know per exercise: which detectors run and the comfortable speed limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .reps import RepSettings

__all__ = ["EXERCISE_IDS", "ExerciseProfile", "profile_for"]

Kind = Literal["reps", "hold", "twist", "gait", "press"]


@dataclass(frozen=True, slots=True)
class ExerciseProfile:
    """Detectors and limits for one exercise.

    Attributes:
        kind: "reps" (out and back), "hold" (reps whose far position is held), "twist" (either side counts),
            "gait" (strides of the puck leg), "press" (force pad squeezes).
        reps: settings of the repetition detector (also used for strides).
        hold_target_s: how long a hold should last (0 = the exercise has no holds).
        min_hold_s: shorter stays in the hold zone are not reported as holds.
    """

    kind: Kind
    reps: RepSettings
    hold_target_s: float = 0.0
    min_hold_s: float = 2.0


_LEG = RepSettings(too_fast_dps=150.0)
_ARM = RepSettings(too_fast_dps=200.0)
_PROFILES: dict[str, ExerciseProfile] = {
    "knee_extension": ExerciseProfile("reps", _LEG),
    "leg_raise": ExerciseProfile("reps", _LEG),
    "prone_leg_raise": ExerciseProfile("reps", _LEG),
    "seated_march": ExerciseProfile("reps", _LEG),
    "leg_hug": ExerciseProfile("hold", _LEG, hold_target_s=10.0),
    "knee_twist": ExerciseProfile("twist", RepSettings(too_fast_dps=150.0, two_sided=True)),
    "leg_crossover": ExerciseProfile("reps", _LEG),
    "ankle_pump": ExerciseProfile("reps", RepSettings(too_fast_dps=250.0)),
    "heel_slide": ExerciseProfile("reps", _LEG),
    "sit_to_stand": ExerciseProfile("reps", _LEG),
    "walking": ExerciseProfile("gait", RepSettings(min_hysteresis_deg=8.0, too_fast_dps=1e9)),
    "arm_raise": ExerciseProfile("reps", _ARM),
    "bicep_curl": ExerciseProfile("reps", _ARM),
    "wrist_turn": ExerciseProfile("reps", RepSettings(too_fast_dps=300.0)),
    "squeeze": ExerciseProfile("press", _ARM),
    "generic": ExerciseProfile("reps", RepSettings(too_fast_dps=200.0)),
}

EXERCISE_IDS: tuple[str, ...] = tuple(_PROFILES)


def profile_for(exercise: str) -> ExerciseProfile:
    """The profile of an exercise id; raises KeyError naming the known ids for an unknown one."""
    try:
        return _PROFILES[exercise]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise!r}; known: {', '.join(EXERCISE_IDS)}") from None
