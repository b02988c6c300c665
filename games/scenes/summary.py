"""Session summary: reps, best range, holds, speed coaching, XP, level-ups and unlocks."""

from __future__ import annotations

import pygame

from .. import ui
from ..exercise_info import all_exercises
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Push, Quit, Transition

__all__ = ["SummaryScene"]


class SummaryScene(MenuScene):
    name = "summary"
    title = "Well done!"

    def __init__(self, ctx: Context) -> None:
        items = [
            MenuItem("again", "Choose the next exercise"),
            MenuItem("progress", "See my progress"),
            MenuItem("quit", "Finish for today"),
        ]
        super().__init__(ctx, Menu(items, origin=(700, 200), size=(520, 76)))
        if ctx.adapter is not None:
            ctx.adapter.finish()
        t = ctx.tally
        profile = ctx.profile or ""
        self.xp_gained = ctx.store.xp(profile) - t.xp_before if profile else 0
        self.level = ctx.store.level(profile) if profile else 1
        self.level_up = self.level > t.level_before
        self.unlocked = [i.name for i in all_exercises() if t.level_before < i.unlock_level <= self.level]

    def choose(self, key: str) -> Transition | None:
        ctx = self.ctx
        if key == "progress":
            from .progress import ProgressScene

            return Push(ProgressScene(ctx))
        if key == "quit":
            return Quit()
        if ctx.adapter is not None:
            ctx.adapter.session_id = None
        from .choose import ChooseScene

        return Goto(ChooseScene(ctx, ctx.exercise.id if ctx.exercise else None))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        t = self.ctx.tally
        name = self.ctx.exercise.name if self.ctx.exercise else ""
        lines: list[tuple[str, str]] = [
            ("good", f"{t.units} repetitions of {name.lower()}"),
            ("good", f"{t.good} steady and complete"),
        ]
        if t.best_rom_deg > 0:
            lines.append(("info", f"Best range: {t.best_rom_deg:.0f} degrees"))
        if t.holds:
            lines.append(("info", f"Holds: {t.holds}"))
        if t.too_fast:
            lines.append(("coach", f"{t.too_fast} were a bit quick: slow and steady wins"))
        else:
            lines.append(("good", "Lovely steady pace throughout"))
        lines.append(("good", f"+{self.xp_gained} XP  (level {self.level})"))
        y = 150
        for tone, line in lines:
            ui.cue_icon(surface, tone, (90, y + 22), 20)
            ui.text(surface, a, line, (130, y + 4), ui.BODY)
            y += 62
        if self.level_up:
            ui.panel(surface, (700, 480, 520, 190), (60, 50, 10))
            ui.text(surface, a, f"Level up! Now level {self.level}", (730, 500), ui.BODY, ui.YELLOW)
            if self.unlocked:
                ui.paragraph(surface, a, "New: " + ", ".join(self.unlocked), (730, 560), 470, ui.SMALL)
