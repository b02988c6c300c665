"""Progress, read from the store: repetitions per day (two weeks), best range of motion per session for the
exercise, XP, overall level and today's goal."""

from __future__ import annotations

import datetime as dt

import pygame

from repquest.progress import daily_status, overall_level

from .. import ui
from ..intents import Intent, IntentKind
from ..scene import Context, Pop, Scene, Transition, now_iso

__all__ = ["ProgressScene"]

DAYS = 14


class ProgressScene(Scene):
    name = "progress"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        store, profile = ctx.store, ctx.profile or "default"
        pid = store.profile_id(profile, now_iso())
        by_day = store.reps_per_day(pid)
        today = dt.date.today()
        self.per_day = [
            by_day.get((today - dt.timedelta(days=DAYS - 1 - i)).isoformat(), 0) for i in range(DAYS)
        ]
        history = store.history(profile)
        exercise = ctx.exercise.id if ctx.exercise else (history[-1]["exercise"] if history else "")
        self.exercise = ctx.catalog[exercise].name if exercise in ctx.catalog else "your exercise"
        best = [
            max(r["rom_deg"] for r in s["reps"]) for s in history if s["exercise"] == exercise and s["reps"]
        ]
        self.rom = [v for v in best if v > 0][-12:]
        self.xp = store.total_xp(pid)
        self.level = overall_level(self.xp)
        self.daily = daily_status(by_day, today)

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.BACK, IntentKind.CHOOSE, IntentKind.CLICK):
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, "My progress", (60, 30), ui.TITLE)
        ui.text(surface, a, f"Level {self.level}  -  {self.xp} XP", (60, 100), ui.BODY, ui.YELLOW)
        goal = f"Today {self.daily.today_reps} of {self.daily.goal_reps} reps"
        ui.text(surface, a, goal, (1220, 100), ui.BODY, ui.TEXT, "topright")
        # reps per day: bars
        x0, y0, w, h = 60, 200, 560, 360
        ui.panel(surface, (x0 - 20, y0 - 50, w + 40, h + 120))
        ui.text(surface, a, "Repetitions per day", (x0, y0 - 40), ui.SMALL)
        top = max(10, *self.per_day)
        bw = w // DAYS
        for i, n in enumerate(self.per_day):
            bh = int((h - 40) * n / top)
            pygame.draw.rect(surface, ui.SKY, (x0 + i * bw + 4, y0 + h - bh, bw - 8, bh), border_radius=4)
        if self.per_day[-1]:
            bh = int((h - 40) * self.per_day[-1] / top)
            label = str(self.per_day[-1])
            ui.text(surface, a, label, (x0 + (DAYS - 1) * bw + bw // 2, y0 + h - bh - 6), ui.SMALL, ui.YELLOW,
                    "midbottom")  # fmt: skip
        pygame.draw.line(surface, ui.MUTED, (x0, y0 + h), (x0 + w, y0 + h), 3)
        ui.text(surface, a, "2 weeks ago", (x0, y0 + h + 10), ui.SMALL, ui.MUTED)
        ui.text(surface, a, "today", (x0 + w, y0 + h + 10), ui.SMALL, ui.MUTED, "topright")
        # range of motion: a line with square markers
        x1 = 680
        ui.panel(surface, (x1 - 20, y0 - 50, w + 40, h + 120))
        ui.text(surface, a, f"Best range: {self.exercise}", (x1, y0 - 40), ui.SMALL, max_width=w)
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
