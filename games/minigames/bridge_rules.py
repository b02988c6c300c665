"""Bridge: hold the position while the lamp fills (a visible 10-15 s timer); each full hold lays a plank.
pygame-free."""

from __future__ import annotations

from repquest.session_events import HoldDone, HoldProgress

from ..motion import GameEvent
from .rules_base import Cue, Rules

__all__ = ["BridgeRules"]

FULL_SHARE = 0.9  # a hold of 90 % of the target counts as full


class BridgeRules(Rules):
    game_id = "bridge"

    def __init__(self, kind: str, target: int, hold_target_s: float = 10.0, assisted: bool = False) -> None:
        super().__init__(kind, target, assisted)
        self.hold_target_s = hold_target_s
        self.holding = False
        self.hold_elapsed_s = 0.0
        self.planks = 0
        self.holds = 0

    def on_other(self, ev: GameEvent) -> list[Cue]:
        if isinstance(ev, HoldProgress):
            started = not self.holding
            self.holding = True
            self.hold_elapsed_s = max(self.hold_elapsed_s, ev.elapsed_s)
            self.hold_target_s = ev.target_s or self.hold_target_s
            text = "Helper: hold it there, gently" if self.assisted else "Hold it there, gently"
            return [Cue(text, "hold", "info")] if started else []
        if isinstance(ev, HoldDone):
            self.holding = False
            self.hold_elapsed_s = 0.0
            self.holds += 1
            if ev.reached_target or ev.duration_s >= FULL_SHARE * self.hold_target_s:
                self.planks += 1
                return [Cue("A new plank! Lovely steady hold", "fanfare", "good")]
            return [Cue("Nice. Next time, hold a little longer", "chime", "info")]
        return []

    @property
    def hold_share(self) -> float:
        return min(1.0, self.hold_elapsed_s / self.hold_target_s) if self.hold_target_s > 0 else 0.0

    @property
    def seconds_left(self) -> int:
        return max(0, round(self.hold_target_s - self.hold_elapsed_s))

    def step(self, dt: float) -> None:
        if self.holding:  # progress events come about once a second: run the timer smoothly between them
            self.hold_elapsed_s = min(self.hold_target_s + 5.0, self.hold_elapsed_s + dt)
