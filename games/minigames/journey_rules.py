"""Journey: every stride of the puck leg moves the walker along the path; landmarks mark the way.
pygame-free."""

from __future__ import annotations

from .rules_base import Cue, Rules, approach

__all__ = ["LANDMARKS", "JourneyRules"]

LANDMARKS = ("the garden gate", "the bakery", "the park bench", "the duck pond", "the lighthouse")
STEPS_PER_LANDMARK = 8


class JourneyRules(Rules):
    game_id = "journey"

    def __init__(self, kind: str, target: int, assisted: bool = False) -> None:
        super().__init__(kind, target, assisted)
        self.position = 0.0  # shown, in strides

    def on_unit(self, quality: float) -> list[Cue]:
        if self.units % STEPS_PER_LANDMARK == 0:
            return [Cue(f"You reached {self.landmark_behind}!", "fanfare", "good")]
        return []

    @property
    def landmark_behind(self) -> str:
        i = self.units // STEPS_PER_LANDMARK - 1
        return LANDMARKS[i % len(LANDMARKS)] if i >= 0 else "home"

    @property
    def next_landmark(self) -> str:
        return LANDMARKS[(self.units // STEPS_PER_LANDMARK) % len(LANDMARKS)]

    @property
    def steps_to_next(self) -> int:
        return STEPS_PER_LANDMARK - self.units % STEPS_PER_LANDMARK

    def step(self, dt: float) -> None:
        self.position = approach(self.position, float(self.units), 1.5, dt)
