"""Journey (steps): every stride moves the walker along the path to the next landmark."""

from __future__ import annotations

import pygame

from repquest.session_events import SetStarted

from .. import ui
from ..scene import Context
from .game_scene import GameScene
from .journey_rules import LANDMARKS, STEPS_PER_LANDMARK, JourneyRules

__all__ = ["JourneyScene"]

PX_PER_STEP = 60


class JourneyScene(GameScene):
    name = "game:journey"
    rules: JourneyRules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx, start)
        self.rules = JourneyRules(self.info.kind, self.target, assisted=self.info.assisted)

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)
        a = self.ctx.assets
        r = self.rules
        offset = r.position * PX_PER_STEP
        pygame.draw.rect(surface, ui.GROUND, (0, 480, ui.W, 240))
        pygame.draw.rect(surface, (150, 130, 100), (0, 540, ui.W, 60))  # the path
        for k in range(-2, 30):  # stones, one per stride
            x = int(300 + k * PX_PER_STEP - offset)
            if 0 <= x <= ui.W:
                pygame.draw.circle(surface, (120, 105, 85), (x, 570), 8)
        for i in range(len(LANDMARKS) * 3):
            x = int(300 + (i + 1) * STEPS_PER_LANDMARK * PX_PER_STEP - offset)
            if -200 < x < ui.W + 200:
                pygame.draw.rect(surface, ui.PINK, (x - 6, 380, 12, 160))
                pygame.draw.polygon(surface, ui.PINK, [(x + 6, 380), (x + 90, 405), (x + 6, 430)])
                ui.text(surface, a, LANDMARKS[i % len(LANDMARKS)], (x, 340), ui.SMALL, anchor="midbottom")
        surface.blit(a.image("walker"), (260, 400))
        ui.text(
            surface,
            a,
            f"{r.steps_to_next} steps to {r.next_landmark}",
            (ui.W // 2, 150),
            ui.BODY,
            anchor="center",
        )
