"""What the game shows about each exercise: name, where the puck goes, how to move, which mini-game, when it
unlocks. pygame-free.

The exercise catalog (``repquest.exercises``) is the authority once it is installed; until then (and for any
exercise it does not know) this table fills in. Instruction texts are the project's own words.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from repquest.dsp import EXERCISE_IDS, profile_for

__all__ = ["ExerciseInfo", "all_exercises", "info_for", "unlocked"]


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    id: str
    name: str
    placement: str  # "thigh", "shin", "foot", "hand", "wrist", "upper_arm"
    how: str  # one short sentence: how to move
    kind: str  # the engine's kind: reps, hold, twist, gait, press
    game: str  # mini-game id
    unlock_level: int = 1


# id: (name, placement, how, game, unlock level)
_TABLE: dict[str, tuple[str, str, str, str, int]] = {
    "knee_extension": (
        "Knee extension",
        "shin",
        "Sit tall. Straighten the knee slowly, then lower.",
        "balloon",
        1,
    ),
    "seated_march": (
        "Seated march",
        "thigh",
        "Sit tall. Lift the knee gently, then put the foot down.",
        "balloon",
        1,
    ),
    "ankle_pump": ("Ankle pumps", "foot", "Point the toes away, then pull them back, slowly.", "glider", 1),
    "squeeze": ("Hand squeeze", "hand", "Hold the puck in your palm. Squeeze, then let go.", "garden", 1),
    "leg_hug": ("Leg hug", "shin", "Hug the knee towards you and hold it there.", "bridge", 2),
    "walking": ("Walking", "shin", "Walk at an easy pace, with support nearby.", "journey", 2),
    "heel_slide": ("Heel slide", "shin", "Lying down, slide the heel towards you, then away.", "glider", 2),
    "arm_raise": ("Arm raise", "wrist", "Raise the arm forwards as far as is comfortable.", "glider", 2),
    "leg_raise": (
        "Leg raise",
        "shin",
        "Lying down, lift the straight leg a little, then lower.",
        "balloon",
        3,
    ),
    "bicep_curl": ("Elbow bend", "wrist", "Bend the elbow to bring the hand up, then lower.", "balloon", 3),
    "wrist_turn": ("Wrist turn", "hand", "Turn the palm up, then down, slowly.", "glider", 3),
    "knee_twist": (
        "Knee twist",
        "thigh",
        "Lying with knees bent, let them sway to one side and back.",
        "balloon",
        4,
    ),
    "leg_crossover": (
        "Leg crossover",
        "shin",
        "Lying down, move the leg across the middle and back.",
        "balloon",
        4,
    ),
    "prone_leg_raise": (
        "Leg raise on tummy",
        "thigh",
        "On your front, lift the leg a little, then lower.",
        "balloon",
        5,
    ),
    "sit_to_stand": ("Sit to stand", "thigh", "Stand up from the chair, then sit down slowly.", "balloon", 5),
    "generic": ("Any movement", "hand", "Any movement your therapist gave you, out and back.", "balloon", 1),
}

GAMES = ("balloon", "bridge", "glider", "journey", "garden")


def _catalog_entry(exercise_id: str) -> Any | None:
    """The catalog's entry (``repquest.exercises``), when that package is installed; never required."""
    try:
        catalog = importlib.import_module("repquest.exercises").default_catalog()
        return catalog[exercise_id]
    except (ImportError, AttributeError, KeyError, ValueError):
        return None


def info_for(exercise_id: str) -> ExerciseInfo:
    kind = profile_for(exercise_id).kind
    name, placement, how, game, level = _TABLE.get(
        exercise_id,
        (exercise_id.replace("_", " ").capitalize(), "hand", "Move out and back, slowly.", "balloon", 1),
    )
    entry = _catalog_entry(exercise_id)
    if entry is not None:
        name = str(getattr(entry, "name", name))
    return ExerciseInfo(exercise_id, name, placement, how, kind, game, level)


def all_exercises() -> list[ExerciseInfo]:
    return sorted((info_for(e) for e in EXERCISE_IDS), key=lambda i: (i.unlock_level, i.name))


def unlocked(level: int) -> list[ExerciseInfo]:
    return [i for i in all_exercises() if i.unlock_level <= level]
