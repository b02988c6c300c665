"""Rest between sets: a calm countdown kept by the exercise session; Enter when ready."""

from __future__ import annotations

import math

import pygame

from repquest.session_events import Resting, SessionSummary, SetStarted

from .. import ui
from ..intents import Intent, IntentKind
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition

__all__ = ["RestScene"]


class RestScene(Scene):
    name = "rest"

    def __init__(self, ctx: Context, seconds_left: int, next_set: int, last: SetStarted) -> None:
        super().__init__(ctx)
        self.next_set = next_set
        self.sets = last.sets
        self.total = float(max(1, seconds_left))
        self.left_s = float(seconds_left)

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.CHOOSE) or (
            intent.kind is IntentKind.CLICK and intent.pos is not None and intent.pos[1] > 560
        ):
            assert self.ctx.adapter is not None
            self.ctx.adapter.skip_rest()
        return None

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        self.left_s = max(0.0, self.left_s - dt)
        for ev in motion.events:
            if isinstance(ev, Resting):
                self.left_s = float(ev.seconds_left)
            elif isinstance(ev, SetStarted):
                from ..minigames.registry import game_scene

                return Goto(game_scene(self.ctx, ev))
            elif isinstance(ev, SessionSummary):
                from .summary import SummaryScene

                return Goto(SummaryScene(self.ctx))
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, "Rest", (ui.W // 2, 40), ui.TITLE, anchor="midtop")
        cx, cy, r = ui.W // 2, 300, 150
        pygame.draw.circle(surface, ui.PANEL, (cx, cy), r)
        share = min(1.0, self.left_s / self.total)
        if share > 0:
            pts = [(cx, cy)] + [
                (
                    cx + r * math.cos(-math.pi / 2 + 2 * math.pi * share * i / 60),
                    cy + r * math.sin(-math.pi / 2 + 2 * math.pi * share * i / 60),
                )
                for i in range(61)
            ]
            pygame.draw.polygon(surface, ui.BLUE, pts)
        pygame.draw.circle(surface, ui.TEXT, (cx, cy), r, 4)
        label = a.text(f"{math.ceil(self.left_s)}", 120, ui.TEXT)
        back = label.get_rect(center=(cx, cy)).inflate(36, 8)
        pygame.draw.rect(surface, ui.BG, back, border_radius=20)
        surface.blit(label, label.get_rect(center=(cx, cy)))
        ui.text(surface, a, "seconds", (cx, cy + r + 12), ui.SMALL, ui.MUTED, "midtop")
        ui.text(
            surface,
            a,
            f"Breathe easy. Next: set {self.next_set} of {self.sets}",
            (cx, 520),
            ui.BODY,
            anchor="midtop",
        )
        ui.panel(surface, (240, 600, 800, 80))
        ui.text(surface, a, "Enter: I'm ready now", (ui.W // 2, 640), ui.BODY, anchor="center")
