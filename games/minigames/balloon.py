"""Balloon ride (repetitions): each controlled rep lifts the balloon over the hills."""

from __future__ import annotations

import pygame

from repquest.session_events import SetStarted

from .. import ui
from ..scene import Context
from .balloon_rules import BalloonRules
from .game_scene import GameScene

__all__ = ["BalloonScene"]


class BalloonScene(GameScene):
    name = "game:balloon"
    rules: BalloonRules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx, start)
        self.rules = BalloonRules(self.info.kind, self.target, assisted=self.info.assisted)

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)
        a = self.ctx.assets
        r = self.rules
        drift = int(r.drift_x) % 1600
        for i, (x, y) in enumerate(((100, 140), (600, 220), (1100, 120))):
            surface.blit(a.image("cloud"), ((x - drift // (2 + i)) % 1500 - 200, y))
        for k in range(6):  # hills
            cx = (k * 300 - drift // 2) % 1800 - 200
            pygame.draw.circle(surface, ui.GROUND, (cx, 760), 220)
        # the altitude scale, with a flag at the set's goal
        pygame.draw.line(surface, ui.MUTED, (1180, 130), (1180, 600), 4)
        pygame.draw.polygon(surface, ui.YELLOW, [(1184, 130), (1230, 145), (1184, 160)])
        for k in range(r.target + 1):
            y = 600 - int(470 * k / max(1, r.target))
            pygame.draw.line(surface, ui.MUTED, (1170, y), (1190, y), 3)
        y = 600 - int(470 * r.height)
        pygame.draw.circle(surface, ui.VERMILLION, (1180, y), 12)
        surface.blit(a.image("balloon"), (560, y - 120))
        for k in range(r.stars):
            pygame.draw.polygon(surface, ui.YELLOW, _small_star(40 + 44 * (k % 20), 110 + 44 * (k // 20)))


def _small_star(x: int, y: int) -> list[tuple[int, int]]:
    return [
        (x, y - 16),
        (x + 5, y - 5),
        (x + 16, y - 4),
        (x + 7, y + 4),
        (x + 10, y + 15),
        (x, y + 8),
        (x - 10, y + 15),
        (x - 7, y + 4),
        (x - 16, y - 4),
        (x - 5, y - 5),
    ]
