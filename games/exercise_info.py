"""How the game presents a catalog exercise: which picture, which mini-game, how the keyboard limb moves.
pygame-free.

The exercise catalog (:mod:`repquest.exercises`) is the authority for names, instructions, dose, unlocks and
whether an exercise is passive (a helper moves the limb); this module only adds presentation.
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.exercises import Exercise

__all__ = ["ExerciseInfo", "game_for", "info_for"]

# Reps whose whole range is worth steering with (continuous control) rather than counting one by one.
_GLIDER_ENGINES = frozenset({"ankle_pump", "heel_slide", "arm_raise", "wrist_turn"})
_PICTURE = {"forearm": "wrist"}  # catalog segment -> placement picture


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    """``kind``: the movement engine's kind (reps, hold, twist, gait, press), for the keyboard limb."""

    exercise: Exercise
    game: str
    kind: str

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def placement(self) -> str:
        segment = self.exercise.placement.segment
        return _PICTURE.get(segment, segment)

    @property
    def assisted(self) -> bool:
        return self.exercise.passive

    @property
    def how(self) -> str:
        """The first two steps, short enough for one screen."""
        return " ".join(self.exercise.instructions[:2])


def game_for(exercise: Exercise) -> str:
    if exercise.kind == "hold":
        return "bridge"
    if exercise.kind == "steps":
        return "journey"
    if exercise.kind == "press":
        return "garden"
    if exercise.kind == "continuous" or exercise.engine in _GLIDER_ENGINES:
        return "glider"
    return "balloon"


def info_for(exercise: Exercise) -> ExerciseInfo:
    return ExerciseInfo(exercise, game_for(exercise), exercise.detector)
