"""Garden: every squeeze waters a flower; a firm, full squeeze makes it bloom. pygame-free."""

from __future__ import annotations

from repquest.session_events import RepCounted

from .rules_base import Cue, Rules, approach

__all__ = ["FIRM_N", "GardenRules"]

FIRM_N = 8.0  # a squeeze at least this firm makes a flower bloom
FLOWERS = 10


class GardenRules(Rules):
    game_id = "garden"
    further_text = "Good. A little firmer, if it is comfortable"

    def __init__(self, kind: str, target: int, assisted: bool = False) -> None:
        super().__init__(kind, target, assisted)
        self.growth = [0.0] * FLOWERS  # 0..1 per flower: goal
        self.shown = [0.0] * FLOWERS
        self.water_t = 0.0  # seconds of watering animation left

    def unit_quality(self, ev: RepCounted) -> float:
        if ev.peak_force_n < FIRM_N:
            return 0.5
        return super().unit_quality(ev)

    def on_unit(self, quality: float) -> list[Cue]:
        i = (self.units - 1) % FLOWERS
        self.growth[i] = min(1.0, self.growth[i] + quality)
        self.water_t = 1.2
        if self.growth[i] >= 1.0:
            return [Cue("A flower blooms!", "chime", "good")]
        return []

    def step(self, dt: float) -> None:
        self.water_t = max(0.0, self.water_t - dt)
        self.shown = [approach(s, g, 0.8, dt) for s, g in zip(self.shown, self.growth, strict=True)]
