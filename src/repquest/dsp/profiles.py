"""What the engine needs to know per exercise: which detectors run and the comfortable speed limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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


def _limit(dps: float, **kw: Any) -> RepSettings:
    return RepSettings(too_fast_dps=dps, **kw)


# Speed (deg/s about the joint) that is too fast whatever the person's usual pace: twice the comfortable
# limit of each exercise. Reps much quicker than the person's usual ones are flagged too (see RepSettings).
_PROFILES: dict[str, ExerciseProfile] = {
    "knee_extension": ExerciseProfile("reps", _limit(260.0)),
    "leg_raise": ExerciseProfile("reps", _limit(180.0)),
    "prone_leg_raise": ExerciseProfile("reps", _limit(120.0)),
    "seated_march": ExerciseProfile("reps", _limit(140.0)),
    "leg_hug": ExerciseProfile("hold", _limit(240.0), hold_target_s=10.0),
    "knee_twist": ExerciseProfile("twist", _limit(140.0, two_sided=True)),
    "leg_crossover": ExerciseProfile("reps", _limit(120.0)),
    "ankle_pump": ExerciseProfile("reps", _limit(160.0)),
    "heel_slide": ExerciseProfile("reps", _limit(140.0)),
    "sit_to_stand": ExerciseProfile("reps", _limit(180.0)),
    "walking": ExerciseProfile("gait", _limit(1e9, min_hysteresis_deg=8.0, quick_share=0.0, pace_ratio=0.0)),
    "arm_raise": ExerciseProfile("reps", _limit(240.0)),
    "bicep_curl": ExerciseProfile("reps", _limit(300.0)),
    "wrist_turn": ExerciseProfile("reps", _limit(360.0)),
    "squeeze": ExerciseProfile("press", _limit(1e9)),
    "generic": ExerciseProfile("reps", _limit(300.0)),
}

EXERCISE_IDS: tuple[str, ...] = tuple(_PROFILES)


def profile_for(exercise: str) -> ExerciseProfile:
    """The profile of an exercise id; raises KeyError naming the known ids for an unknown one."""
    try:
        return _PROFILES[exercise]
    except KeyError:
        raise KeyError(f"unknown exercise {exercise!r}; known: {', '.join(EXERCISE_IDS)}") from None
