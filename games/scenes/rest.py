"""Rest between sets: a calm countdown; Enter when ready."""

from __future__ import annotations

import math

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..motion import MotionFrame
from ..scene import Context, Goto, Scene, Transition

__all__ = ["RestScene"]


class RestScene(Scene):
    name = "rest"

    def __init__(self, ctx: Context, next_set: int) -> None:
        super().__init__(ctx)
        self.next_set = next_set
        self.total = float(ctx.settings.rest_s)

    @property
    def left_s(self) -> float:
        return max(0.0, self.total - self.t)

    def _next(self) -> Transition:
        from ..minigames.registry import game_scene

        return Goto(game_scene(self.ctx, self.next_set))

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.CHOOSE) or (
            intent.kind is IntentKind.CLICK and intent.pos is not None and intent.pos[1] > 560
        ):
            return self._next()
        return None

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        return self._next() if self.left_s <= 0 else None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, "Rest", (ui.W // 2, 50), ui.TITLE, anchor="midtop")
        cx, cy, r = ui.W // 2, 320, 150
        pygame.draw.circle(surface, ui.PANEL, (cx, cy), r)
        share = self.left_s / self.total if self.total else 0.0
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
        ui.text(surface, a, f"{math.ceil(self.left_s)}", (cx, cy), 120, anchor="center")
        ui.text(
            surface,
            a,
            f"Breathe easy. Next: set {self.next_set} of {self.ctx.settings.sets}",
            (cx, 500),
            ui.BODY,
            anchor="midtop",
        )
        ui.panel(surface, (240, 590, 800, 80))
        ui.text(surface, a, "Enter: I'm ready now", (ui.W // 2, 630), ui.BODY, anchor="center")
