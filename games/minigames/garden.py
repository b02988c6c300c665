"""Garden (presses): each squeeze waters a flower; a firm squeeze makes it bloom."""

from __future__ import annotations

import pygame

from repquest.session_events import SetStarted

from .. import ui
from ..scene import Context
from .game_scene import GameScene
from .garden_rules import FLOWERS, GardenRules

__all__ = ["GardenScene"]


class GardenScene(GameScene):
    name = "game:garden"
    rules: GardenRules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx, start)
        self.rules = GardenRules(self.info.kind, self.target, assisted=self.info.assisted)

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)
        a = self.ctx.assets
        r = self.rules
        pygame.draw.rect(surface, (90, 60, 40), (0, 520, ui.W, 200))
        flower = a.image("flower")
        for i in range(FLOWERS):
            x = 110 + i * 118
            g = r.shown[i]
            stem = int(40 + 200 * g)
            pygame.draw.line(surface, ui.GREEN, (x, 520), (x, 520 - stem), 8)
            if g >= 0.5:
                size = int(50 + 70 * g)
                img = pygame.transform.smoothscale(flower, (size, size)) if size != 120 else flower
                surface.blit(img, img.get_rect(center=(x, 520 - stem)))
            elif g > 0:
                pygame.draw.circle(surface, ui.GREEN, (x, 520 - stem), 14)
        if r.water_t > 0:  # the watering can tips while water falls (slow, no flashing)
            i = (r.units - 1) % FLOWERS
            x = 110 + i * 118
            pygame.draw.rect(surface, ui.SKY, (x - 60, 150, 90, 60), border_radius=10)
            for k in range(5):
                pygame.draw.line(surface, ui.SKY, (x - 10 + k * 6, 220), (x - 20 + k * 6, 300), 3)
        ui.text(surface, a, "Squeeze the puck, then let go", (ui.W // 2, 130), ui.BODY, anchor="center")
