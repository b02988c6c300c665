"""What every mini-game scene shares: the rules, the heads-up line, the coach bubble, and the end of a set."""

from __future__ import annotations

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition
from .rules_base import Cue, Rules

__all__ = ["GameScene"]

COACH_SHOW_S = 3.5


class GameScene(Scene):
    """Subclasses set ``rules`` and draw the world in ``draw_world``."""

    in_game = True
    rules: Rules

    def __init__(self, ctx: Context, set_no: int) -> None:
        super().__init__(ctx)
        assert ctx.exercise is not None
        self.info = ctx.exercise
        self.set_no = set_no
        self.cue: Cue | None = None
        self.cue_left = 0.0
        self.finished = False

    @property
    def target(self) -> int:
        return self.ctx.settings.reps_per_set

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind is IntentKind.FINISH or (intent.kind is IntentKind.CONFIRM and self.rules.done):
            return self._end_set(final=True)
        return None

    def _say(self, cues: list[Cue]) -> None:
        for cue in cues:
            self.ctx.say(cue)
            if cue.text:
                self.cue, self.cue_left = cue, COACH_SHOW_S

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        for ev in motion.events:
            self._say(self.rules.on_event(ev))
        self.rules.update(dt, motion.progress[0])
        self._say(self.extra_cues())
        self.cue_left = max(0.0, self.cue_left - dt)
        if self.rules.done and not self.finished:
            self.finished = True
            self._say([Cue("Set complete! Well done", "fanfare", "good")])
        if self.finished and self.t > 0 and self.cue_left <= COACH_SHOW_S - 2.0:
            return self._end_set(final=self.set_no >= self.ctx.settings.sets)
        return None

    def extra_cues(self) -> list[Cue]:
        return []

    def _end_set(self, final: bool) -> Transition:
        ctx, r = self.ctx, self.rules
        t = ctx.tally
        t.units += r.units
        t.good += r.good
        t.too_fast += r.too_fast
        t.points += r.points
        t.best_rom_deg = max(t.best_rom_deg, r.best_rom_deg)
        t.holds += getattr(r, "holds", 0)
        t.sets_done += 1
        if final:
            from ..scenes.summary import SummaryScene

            return Goto(SummaryScene(ctx))
        from ..scenes.rest import RestScene

        return Goto(RestScene(ctx, next_set=self.set_no + 1))

    # -- drawing ---------------------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_world(surface)
        a = self.ctx.assets
        r = self.rules
        ui.panel(surface, (16, 16, 1040, 64), (20, 30, 50))
        ui.text(
            surface,
            a,
            f"{self.info.name}  -  set {self.set_no} of {self.ctx.settings.sets}",
            (36, 48),
            ui.SMALL,
            anchor="midleft",
        )
        ui.text(
            surface, a, f"{min(r.units, r.target)} / {r.target}", (760, 48), ui.BODY, ui.YELLOW, "midleft"
        )
        pygame.draw.polygon(surface, ui.YELLOW, _star((900, 48), 18))
        ui.text(surface, a, str(r.points), (926, 48), ui.BODY, anchor="midleft")
        if self.cue is not None and self.cue_left > 0:
            rect = (200, 560, 880, 80)
            ui.panel(surface, rect, (20, 30, 50))
            pygame.draw.rect(surface, ui.TONE_COLOURS.get(self.cue.tone, ui.SKY), rect, 4, border_radius=18)
            ui.cue_icon(surface, self.cue.tone, (250, 600), 26)
            ui.text(surface, a, self.cue.text, (300, 602), ui.BODY, anchor="midleft")
        elif self.ctx.keyboard_puck:
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


def _star(c: tuple[int, int], r: int) -> list[tuple[float, float]]:
    import math

    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.45
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c[0] + rad * math.cos(a), c[1] + rad * math.sin(a)))
    return pts
