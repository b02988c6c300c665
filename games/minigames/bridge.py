"""Bridge builder (holds): hold still while the lamp fills and the timer counts down; a full hold lays a plank."""

from __future__ import annotations

import math

import pygame

from repquest.session_events import SetStarted

from .. import ui
from ..scene import Context
from .bridge_rules import BridgeRules
from .game_scene import GameScene

__all__ = ["BridgeScene"]

PLANKS = 10


class BridgeScene(GameScene):
    name = "game:bridge"
    rules: BridgeRules

    def __init__(self, ctx: Context, start: SetStarted) -> None:
        super().__init__(ctx, start)
        self.rules = BridgeRules(self.info.kind, self.target, start.hold_s or 10.0, self.info.assisted)

    def draw_world(self, surface: pygame.Surface) -> None:
        surface.fill(ui.SKY_BG)
        a = self.ctx.assets
        r = self.rules
        pygame.draw.rect(surface, (20, 80, 140), (0, 520, ui.W, 200))  # river
        pygame.draw.rect(surface, ui.GROUND, (0, 430, 160, 290))
        pygame.draw.rect(surface, ui.GROUND, (1120, 430, 160, 290))
        n = max(1, min(PLANKS, r.target))  # the set's holds span the river
        pw = 960 // n
        for k in range(n):  # the planks laid so far, and outlines of those to come
            rect = (160 + k * pw, 430, pw - 4, 26)
            if k < r.planks:
                pygame.draw.rect(surface, ui.ORANGE, rect, border_radius=4)
            else:
                pygame.draw.rect(surface, ui.MUTED, rect, 2, border_radius=4)
        # the lamp fills while the hold lasts, and a big timer counts the seconds left
        cx, cy, rad = 640, 250, 110
        pygame.draw.circle(surface, ui.PANEL, (cx, cy), rad)
        share = r.hold_share
        if share > 0:
            end = -math.pi / 2 + 2 * math.pi * share
            pts = [(cx, cy)] + [
                (
                    cx + rad * math.cos(-math.pi / 2 + (end + math.pi / 2) * i / 40),
                    cy + rad * math.sin(-math.pi / 2 + (end + math.pi / 2) * i / 40),
                )
                for i in range(41)
            ]
            pygame.draw.polygon(surface, ui.YELLOW if share >= 0.9 else ui.SKY, pts)
        pygame.draw.circle(surface, ui.TEXT, (cx, cy), rad, 5)
        if r.holding:
            ui.text(
                surface, a, f"{r.seconds_left}", (cx, cy), 110, ui.BG if share > 0.55 else ui.TEXT, "center"
            )
            ui.text(surface, a, "seconds: hold it there", (cx, cy + rad + 30), ui.BODY, anchor="center")
        else:
            ui.text(surface, a, f"{r.hold_target_s:.0f} s", (cx, cy), 80, ui.TEXT, "center")
            ui.text(
                surface,
                a,
                "Move into the hold, then keep still",
                (cx, cy + rad + 30),
                ui.BODY,
                anchor="center",
            )
        ui.text(surface, a, f"planks {r.planks} / {r.target}", (1100, 110), ui.SMALL, anchor="topright")
        surface.blit(a.image("cloud"), (80, 120))
