"""What every mini-game scene shares: the rules, the heads-up line, the coach bubble, and the end of a set.

The exercise session decides when a set ends and what comes next: the scene follows its events
(``SetCompleted`` then ``Resting`` or ``SessionSummary``), after a moment to enjoy the "set complete" cue.
"""

from __future__ import annotations

import math

import pygame

from repquest.session_events import Resting, SessionSummary, SetCompleted, SetStarted

from .. import ui
from ..intents import Intent, IntentKind
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition
from .rules_base import Cue, Rules

__all__ = ["GameScene"]

COACH_SHOW_S = 3.5
CELEBRATE_S = 2.0  # the "set complete" moment before the rest or summary screen


class GameScene(Scene):
    """Subclasses set ``rules`` and draw the world in ``draw_world``."""

    in_game = True
    rules: Rules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx)
        assert ctx.exercise is not None
        self.info = ctx.exercise
        self.start = start
        self.set_no = start.set_no
        self.cue: Cue | None = None
        self.cue_left = 0.0
        self.finished_at: float | None = None
        self.after: Transition | None = None

    @property
    def target(self) -> int:
        return self.start.target_reps

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind is IntentKind.FINISH:
            return _end_session(self.ctx)
        return None

    def _say(self, cues: list[Cue]) -> None:
        for cue in cues:
            self.ctx.say(cue)
            if cue.text:
                self.cue, self.cue_left = cue, COACH_SHOW_S

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        for ev in motion.events:
            if isinstance(ev, SetCompleted) and self.finished_at is None:
                self.finished_at = self.t
                text = (
                    "Set complete! Well done, both of you"
                    if self.info.assisted
                    else "Set complete! Well done"
                )
                self._say([Cue(text, "fanfare", "good")])
            elif isinstance(ev, Resting):
                from ..scenes.rest import RestScene

                self.after = self.after or Goto(
                    RestScene(self.ctx, ev.seconds_left, self.set_no + 1, self.start)
                )
            elif isinstance(ev, SessionSummary):
                self.after = _end_session(self.ctx)
            elif isinstance(ev, SetStarted):  # no rest between sets
                from .registry import game_scene

                self.after = Goto(game_scene(self.ctx, ev))
            else:
                self._say(self.rules.on_event(ev))
        self.rules.update(dt, motion.progress[0])
        self._say(self.extra_cues())
        self.cue_left = max(0.0, self.cue_left - dt)
        if self.after is not None and (self.finished_at is None or self.t - self.finished_at >= CELEBRATE_S):
            return self.after
        return None

    def extra_cues(self) -> list[Cue]:
        return []

    # -- drawing ---------------------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_world(surface)
        a = self.ctx.assets
        r = self.rules
        ui.panel(surface, (16, 16, 1040, 64), (20, 30, 50))
        ui.text(
            surface,
            a,
            f"{self.info.name}  -  set {self.set_no} of {self.start.sets}",
            (36, 48),
            ui.SMALL,
            anchor="midleft",
            max_width=700,
        )
        ui.text(
            surface, a, f"{min(r.units, r.target)} / {r.target}", (760, 48), ui.BODY, ui.YELLOW, "midleft"
        )
        pygame.draw.polygon(surface, ui.YELLOW, _star((900, 48), 18))
        ui.text(surface, a, f"{r.points} XP", (926, 48), ui.BODY, anchor="midleft")
        if self.info.assisted:
            ui.panel(surface, (16, 88, 620, 52), (70, 45, 10))
            ui.cue_icon(surface, "info", (46, 114), 16)
            ui.text(
                surface, a, "Assisted: the helper moves the limb", (74, 114), ui.SMALL, ui.YELLOW, "midleft"
            )
        if self.cue is not None and self.cue_left > 0:
            rect = (160, 560, 960, 80)
            ui.panel(surface, rect, (20, 30, 50))
            pygame.draw.rect(surface, ui.TONE_COLOURS.get(self.cue.tone, ui.SKY), rect, 4, border_radius=18)
            ui.cue_icon(surface, self.cue.tone, (210, 600), 26)
            ui.text(surface, a, self.cue.text, (260, 602), ui.BODY, anchor="midleft", max_width=840)
        elif self.ctx.keyboard_puck:
            ui.panel(surface, (240, 612, 800, 56), (20, 30, 50))
            ui.text(
                surface,
                a,
                "Hold the Up arrow to move, let go to come back",
                (ui.W // 2, 640),
                ui.SMALL,
                ui.TEXT,
                "center",
            )

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)


def _end_session(ctx: Context) -> Transition:
    """Stop the session (if it still runs) and show its summary."""
    from ..scenes.summary import SummaryScene

    if ctx.adapter is not None:
        ctx.adapter.stop()
    return Goto(SummaryScene(ctx))


def _star(c: tuple[int, int], r: int) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.45
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c[0] + rad * math.cos(a), c[1] + rad * math.sin(a)))
    return pts
