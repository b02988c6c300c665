"""Glider: the limb's ``progress`` (0..1 of the calibrated range) sets the glider's height; fly through the
rings, which sit low and high so that whole, slow movements catch them. pygame-free."""

from __future__ import annotations

from dataclasses import dataclass

from .rules_base import Cue, Rules, approach

__all__ = ["GliderRules", "Ring"]

SPEED = 120.0  # world units per second
SPACING = 420.0
CATCH = 0.2  # progress distance that still counts as "through the ring"
GLIDER_X = 300.0


@dataclass
class Ring:
    x: float
    height: float  # 0..1
    state: str = "ahead"  # ahead, caught, missed


class GliderRules(Rules):
    game_id = "glider"

    def __init__(self, kind: str, target: int, assisted: bool = False) -> None:
        super().__init__(kind, target, assisted)
        self.world_x = 0.0
        self.height = 0.0
        self.rings: list[Ring] = []
        self.caught = 0
        self._next = 0
        self.cues: list[Cue] = []  # from rings passed in ``step``; the scene collects them
        for _ in range(6):
            self._spawn()

    def _spawn(self) -> None:
        height = (0.2, 0.85, 0.5, 0.9, 0.15, 0.7)[self._next % 6]
        self.rings.append(Ring(GLIDER_X + 700.0 + self._next * SPACING, height))
        self._next += 1

    def step(self, dt: float) -> None:
        self.height = approach(self.height, self.progress, 2.5, dt)
        self.world_x += SPEED * dt
        for ring in self.rings:
            if ring.state == "ahead" and ring.x - self.world_x <= GLIDER_X:
                if abs(self.height - ring.height) <= CATCH:
                    ring.state = "caught"
                    self.caught += 1
                    self.cues.append(Cue("Through the ring!", "pop", "good"))
                else:
                    ring.state = "missed"
        while self.rings and self.rings[0].x - self.world_x < -200.0:
            self.rings.pop(0)
            self._spawn()

    def take_cues(self) -> list[Cue]:
        cues, self.cues = self.cues, []
        return cues
