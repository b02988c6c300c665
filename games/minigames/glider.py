"""Glider (continuous control): the limb's position steers the glider's height through the rings."""

from __future__ import annotations

import pygame

from repquest.session_events import SetStarted

from .. import ui
from ..scene import Context
from .game_scene import GameScene
from .glider_rules import GLIDER_X, GliderRules
from .rules_base import Cue

__all__ = ["GliderScene"]

TOP, BOTTOM = 150, 480  # the glider and the lowest ring stay clear of the coaching banner (y >= 560)


def _y(height: float) -> int:
    return int(BOTTOM - (BOTTOM - TOP) * height)


class GliderScene(GameScene):
    name = "game:glider"
    rules: GliderRules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx, start)
        self.rules = GliderRules(self.info.kind, self.target, assisted=self.info.assisted)

    def extra_cues(self) -> list[Cue]:
        return self.rules.take_cues()

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)
        a = self.ctx.assets
        r = self.rules
        surface.blit(a.image("cloud"), (900 - int(r.world_x * 0.3) % 1500, 150))
        pygame.draw.rect(surface, ui.GROUND, (0, 640, ui.W, 80))
        for ring in r.rings:
            x = int(ring.x - r.world_x)
            if -100 < x < ui.W + 100:
                colour = (
                    ui.GREEN if ring.state == "caught" else ui.MUTED if ring.state == "missed" else ui.YELLOW
                )
                pygame.draw.ellipse(surface, colour, (x - 30, _y(ring.height) - 70, 60, 140), 10)
                if ring.state == "caught":  # shape as well as colour
                    ui.cue_icon(surface, "good", (x, _y(ring.height)), 18)
        glider = a.image("glider")
        surface.blit(glider, glider.get_rect(center=(int(GLIDER_X), _y(r.height))))
        # the limb's position on a side gauge
        pygame.draw.rect(surface, ui.PANEL, (30, TOP, 24, BOTTOM - TOP), border_radius=12)
        pygame.draw.circle(surface, ui.ORANGE, (42, _y(r.progress)), 16)
        ui.text(surface, a, f"rings {r.caught}", (1100, 110), ui.SMALL, anchor="topright")
