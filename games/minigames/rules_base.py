"""What every mini-game shares: counting the movement units, points that favour controlled and complete
movements, and the gentle coach. pygame-free.

A *unit* is what the set counts: a repetition (reps, holds, twists), a stride (walking) or a squeeze (presses).
Too-fast movements still count as done (the person did them) but earn no points; the coach says "slower".
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.dsp import Press, RepCompleted, Step, TooFast

from ..motion import GameEvent

__all__ = ["COACH_FURTHER", "COACH_SLOWER", "Cue", "Rules", "approach"]

COACH_SLOWER = "Slower, nice and gentle"
COACH_FURTHER = "Good. A little further, if it is comfortable"
_COACH_GAP_S = 3.0


@dataclass(frozen=True, slots=True)
class Cue:
    """Something to say and (optionally) play: ``sound`` is an asset name, its caption shows on screen."""

    text: str
    sound: str | None = None
    tone: str = "good"  # "good" (green, tick), "coach" (orange, triangle), "info" (blue, circle)


class Rules:
    """Base rules; subclasses override ``on_unit`` / ``on_other`` / ``step``."""

    game_id = "base"

    def __init__(self, kind: str, target: int) -> None:
        self.kind = kind
        self.target = target
        self.units = 0
        self.good = 0  # controlled and complete
        self.too_fast = 0
        self.points = 0
        self.progress = 0.0
        self.time_s = 0.0
        self.best_rom_deg = 0.0
        self._last_coach_s = -1e9

    @property
    def done(self) -> bool:
        return self.units >= self.target

    def _is_unit(self, ev: GameEvent) -> bool:
        if self.kind == "gait":
            return isinstance(ev, Step)
        if self.kind == "press":
            return isinstance(ev, Press)
        return isinstance(ev, RepCompleted)

    def _coach(self) -> list[Cue]:
        if self.time_s - self._last_coach_s < _COACH_GAP_S:
            return []
        self._last_coach_s = self.time_s
        return [Cue(COACH_SLOWER, "soft", "coach")]

    def on_event(self, ev: GameEvent) -> list[Cue]:
        if isinstance(ev, TooFast):
            return self._coach()
        if not self._is_unit(ev):
            return self.on_other(ev)
        self.units += 1
        if isinstance(ev, RepCompleted):
            self.best_rom_deg = max(self.best_rom_deg, ev.rom_deg)
            if ev.too_fast:
                self.too_fast += 1
                return self._coach()
        quality = self.unit_quality(ev)
        if quality < 1.0:
            self.points += 5
            return [*self.on_unit(quality), Cue(self.further_text, "chime", "info")]
        self.good += 1
        self.points += 10
        return self.on_unit(1.0)

    further_text = COACH_FURTHER

    def unit_quality(self, ev: GameEvent) -> float:
        """1 = controlled and complete; 0.5 = partial (still counted, fewer points)."""
        if isinstance(ev, RepCompleted) and not ev.reached_target:
            return 0.5
        return 1.0

    def on_unit(self, quality: float) -> list[Cue]:
        """A counted unit; ``quality`` 1 = controlled and complete, 0.5 = partial."""
        return [Cue("Well done!", "chime", "good")]

    def on_other(self, ev: GameEvent) -> list[Cue]:
        return []

    def update(self, dt: float, progress: float) -> None:
        self.time_s += dt
        self.progress = progress
        self.step(dt)

    def step(self, dt: float) -> None:
        """Animation state, advanced by the fixed timestep."""


def approach(value: float, target: float, rate: float, dt: float) -> float:
    """Move ``value`` towards ``target`` by at most ``rate * dt``."""
    delta = target - value
    limit = rate * dt
    return target if abs(delta) <= limit else value + (limit if delta > 0 else -limit)
