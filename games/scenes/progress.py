"""Progress: repetitions per day (two weeks) and best range of motion per session for the exercise."""

from __future__ import annotations

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..scene import Context, Pop, Scene, Transition

__all__ = ["ProgressScene"]

DAYS = 14


class ProgressScene(Scene):
    name = "progress"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        profile = ctx.profile or ""
        self.per_day = ctx.store.reps_per_day(profile, DAYS)
        history = ctx.store.history(profile)
        exercise = (
            ctx.exercise.id if ctx.exercise else (history[-1].exercise if history else "knee_extension")
        )
        self.exercise = exercise
        self.rom = ctx.store.rom_over_time(profile, exercise)[-12:]
        self.xp = ctx.store.xp(profile)
        self.level = ctx.store.level(profile)

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.BACK, IntentKind.CHOOSE, IntentKind.CLICK):
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, "My progress", (60, 30), ui.TITLE)
        ui.text(surface, a, f"Level {self.level}  -  {self.xp} XP", (60, 100), ui.BODY, ui.YELLOW)
        # reps per day: bars
        x0, y0, w, h = 60, 200, 560, 360
        ui.panel(surface, (x0 - 20, y0 - 50, w + 40, h + 120))
        ui.text(surface, a, "Repetitions per day", (x0, y0 - 40), ui.SMALL)
        top = max(10, *self.per_day)
        bw = w // DAYS
        for i, n in enumerate(self.per_day):
            bh = int((h - 40) * n / top)
            pygame.draw.rect(surface, ui.SKY, (x0 + i * bw + 4, y0 + h - bh, bw - 8, bh), border_radius=4)
        pygame.draw.line(surface, ui.MUTED, (x0, y0 + h), (x0 + w, y0 + h), 3)
        ui.text(surface, a, "2 weeks ago", (x0, y0 + h + 10), ui.SMALL, ui.MUTED)
        ui.text(surface, a, "today", (x0 + w, y0 + h + 10), ui.SMALL, ui.MUTED, "topright")
        ui.text(surface, a, f"{self.per_day[-1]} today", (x0 + w, y0 - 40), ui.SMALL, ui.YELLOW, "topright")
        # range of motion: a line with square markers
        x1 = 700
        ui.panel(surface, (x1 - 20, y0 - 50, w + 40, h + 120))
        name = self.exercise.replace("_", " ")
        ui.text(surface, a, f"Best range: {name}", (x1, y0 - 40), ui.SMALL)
        if len(self.rom) >= 1:
            lo, hi = min(self.rom) - 5, max(self.rom) + 5
            pts = [
                (x1 + int(w * (i + 0.5) / len(self.rom)), y0 + h - int(h * (v - lo) / (hi - lo)))
                for i, v in enumerate(self.rom)
            ]
            if len(pts) > 1:
                pygame.draw.lines(surface, ui.ORANGE, False, pts, 4)
            for p in pts:
                pygame.draw.rect(surface, ui.ORANGE, (p[0] - 8, p[1] - 8, 16, 16))
            ui.text(
                surface,
                a,
                f"latest {self.rom[-1]:.0f} degrees",
                (x1 + w, y0 + h + 10),
                ui.SMALL,
                ui.MUTED,
                "topright",
            )
        else:
            ui.paragraph(surface, a, "Your range will show here after your first session.", (x1, y0 + 40), w)
        ui.text(surface, a, "Enter or click: back", (ui.W // 2, 690), ui.SMALL, ui.MUTED, "midbottom")
