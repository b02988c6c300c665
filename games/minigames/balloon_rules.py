"""Balloon: every controlled repetition lifts the balloon higher over the hills. pygame-free."""

from __future__ import annotations

from .rules_base import Cue, Rules, approach

__all__ = ["BalloonRules"]


class BalloonRules(Rules):
    game_id = "balloon"

    def __init__(self, kind: str, target: int, assisted: bool = False) -> None:
        super().__init__(kind, target, assisted)
        self.lift_target = 0.0  # 0..1 of the sky, where the set's last rep takes it
        self.height = 0.0  # shown height, eases towards lift_target
        self.drift_x = 0.0  # the landscape scrolls slowly
        self.stars = 0

    def on_unit(self, quality: float) -> list[Cue]:
        self.lift_target = min(1.0, self.lift_target + quality / max(1, self.target))
        if quality >= 1.0:
            self.stars += 1
            return [Cue("Up you go! A star for a steady rep", "chime", "good")]
        return []

    def step(self, dt: float) -> None:
        self.height = approach(self.height, self.lift_target, 0.2, dt)
        self.drift_x += 20.0 * dt
