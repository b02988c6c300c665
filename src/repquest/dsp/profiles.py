"""What the engine needs to know about an exercise: which detector counts it, its speed limit, its hold target.

The engine knows no exercise names. The exercise catalog (plus a therapist's plan) is the one source of these
values: each catalog entry builds its :class:`EngineSettings` with :func:`engine_settings`, and whoever builds
a :class:`~.engine.MovementEngine` passes them in. This module only holds the detector tuning per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

from .reps import RepSettings

__all__ = ["DETECTOR_KINDS", "DetectorKind", "EngineSettings", "ExerciseProfile", "engine_settings"]

DetectorKind = Literal["reps", "hold", "twist", "gait", "press"]
DETECTOR_KINDS: tuple[str, ...] = get_args(DetectorKind)

# Strides and squeezes are never too fast: a stride's swing is quick by nature and a squeeze has no angle.
NO_LIMIT_DPS = 1e9
# A hold exercise always times its holds, even where the dose asks for none (the person still holds).
DEFAULT_HOLD_S = 10.0


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Detectors and limits for one exercise.

    Attributes:
        kind: "reps" (out and back), "hold" (reps whose far position is held), "twist" (either side counts),
            "gait" (strides of the puck leg), "press" (force pad squeezes).
        reps: settings of the repetition detector (also used for strides); ``reps.too_fast_dps`` is the
            exercise's speed limit in deg/s about the joint.
        hold_target_s: how long a hold should last (0 = the engine does not time holds).
        min_hold_s: shorter stays in the hold zone are not reported as holds.
    """

    kind: DetectorKind
    reps: RepSettings
    hold_target_s: float = 0.0
    min_hold_s: float = 2.0

    @property
    def too_fast_dps(self) -> float:
        return self.reps.too_fast_dps


ExerciseProfile = EngineSettings  # the former name, kept for callers that still use it


_TUNING: dict[str, RepSettings] = {
    "reps": RepSettings(),
    "hold": RepSettings(),
    "twist": RepSettings(two_sided=True),
    "gait": RepSettings(min_hysteresis_deg=8.0, quick_share=0.0, pace_ratio=0.0),
    "press": RepSettings(),
}


def engine_settings(kind: str, *, too_fast_dps: float, hold_target_s: float = 0.0) -> EngineSettings:
    """The settings of an exercise counted by detector ``kind``, too fast above ``too_fast_dps`` (deg/s).

    ``hold_target_s`` > 0 times holds at the far end (any kind but gait and press; a "hold" exercise always
    does). Raises ValueError for an unknown kind or a limit that is not a positive number.
    """
    if kind not in _TUNING:
        raise ValueError(f"unknown detector kind {kind!r}; known: {', '.join(DETECTOR_KINDS)}")
    if not too_fast_dps > 0.0:
        raise ValueError(f"the speed limit must be a positive number of deg/s, not {too_fast_dps!r}")
    if kind in ("gait", "press"):
        too_fast_dps, hold_target_s = NO_LIMIT_DPS, 0.0
    elif kind == "hold" and not hold_target_s > 0.0:
        hold_target_s = DEFAULT_HOLD_S
    # A candidate still out after settle_out_s is a new rest, never a hold: keep that well past the target.
    settle_s = max(_TUNING[kind].settle_out_s, 2.0 * float(hold_target_s))
    reps = replace(_TUNING[kind], too_fast_dps=float(too_fast_dps), settle_out_s=settle_s)
    return EngineSettings(kind, reps, hold_target_s=max(0.0, float(hold_target_s)))  # type: ignore[arg-type]
