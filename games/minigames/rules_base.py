"""What every mini-game shares: counting the session's units, the XP the session awarded, and the gentle
coach. pygame-free.

A *unit* is what the set counts: one :class:`~repquest.session_events.RepCounted` (a repetition, a stride or a
squeeze), already committed to the store by the session. XP and "on target" come from the session's rules;
the mini-games only turn them into pictures. Too-fast movements count as done but earn nothing; the coach
says "slower". In assisted mode (a helper moves the limb) the coach speaks to the helper.
"""

from __future__ import annotations

from dataclasses import dataclass

from repquest.session_events import HoldDone, RepCounted, TooFastCoach

from ..motion import GameEvent

__all__ = ["COACH_FURTHER", "COACH_SLOWER", "HELPER_SLOWER", "Cue", "Rules", "approach"]

COACH_SLOWER = "Slower, nice and gentle"
COACH_FURTHER = "Good. A little further, if it is comfortable"
HELPER_SLOWER = "Helper: slower please, move the limb gently"
HELPER_FURTHER = "Helper: a little further, only if it moves easily"
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

    def __init__(self, kind: str, target: int, assisted: bool = False) -> None:
        self.kind = kind
        self.target = target
        self.assisted = assisted
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

    def _coach(self) -> list[Cue]:
        if self.time_s - self._last_coach_s < _COACH_GAP_S:
            return []
        self._last_coach_s = self.time_s
        return [Cue(HELPER_SLOWER if self.assisted else COACH_SLOWER, "soft", "coach")]

    def on_event(self, ev: GameEvent) -> list[Cue]:
        if isinstance(ev, TooFastCoach):
            return self._coach()
        if isinstance(ev, HoldDone):
            self.points += ev.xp
        if not isinstance(ev, RepCounted):
            return self.on_other(ev)
        self.units += 1
        self.points += ev.xp
        self.best_rom_deg = max(self.best_rom_deg, ev.rom_deg)
        if ev.too_fast:
            self.too_fast += 1
            return self._coach()
        quality = self.unit_quality(ev)
        if quality < 1.0:
            further = HELPER_FURTHER if self.assisted else self.further_text
            return [*self.on_unit(quality), Cue(further, "chime", "info")]
        self.good += 1
        return self.on_unit(1.0)

    further_text = COACH_FURTHER

    def unit_quality(self, ev: RepCounted) -> float:
        """1 = reached the session's target; 0.5 = partial (still counted, no XP)."""
        return 1.0 if ev.reached_target else 0.5

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
