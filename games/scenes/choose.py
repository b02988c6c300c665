"""Choose an exercise from those unlocked, with a picture of where the puck goes and how to move."""

from __future__ import annotations

import pygame

from .. import ui
from ..exercise_info import ExerciseInfo, all_exercises, info_for
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Push, Transition

__all__ = ["ChooseScene"]

GAME_NAMES = {
    "balloon": "Balloon ride",
    "bridge": "Bridge builder",
    "glider": "Glider",
    "journey": "Journey",
    "garden": "Garden",
}


class ChooseScene(MenuScene):
    name = "choose"
    title = "Choose an exercise"
    help = "Follow your therapist's plan. Arrows to look, Enter or a number to start."

    def __init__(self, ctx: Context, preselect: str | None = None) -> None:
        level = ctx.store.level(ctx.profile) if ctx.profile else 1
        self.level = level
        preselect = preselect or ctx.preselect
        self.options: list[ExerciseInfo] = [i for i in all_exercises() if i.unlock_level <= level][:7]
        if preselect and preselect not in {i.id for i in self.options}:
            self.options.insert(0, info_for(preselect))
        items = [MenuItem(i.id, i.name) for i in self.options]
        items += [MenuItem("progress", "My progress"), MenuItem("settings", "Settings")]
        super().__init__(ctx, Menu(items, origin=(60, 160), size=(560, 56), gap=6))
        if preselect:
            self.menu.select_key(preselect)
        self.locked = sum(1 for i in all_exercises() if i.unlock_level > level)

    def choose(self, key: str) -> Transition | None:
        if key == "progress":
            from .progress import ProgressScene

            return Push(ProgressScene(self.ctx))
        if key == "settings":
            from .settings import SettingsScene

            return Push(SettingsScene(self.ctx))
        ctx = self.ctx
        ctx.exercise = info_for(key)
        assert ctx.adapter is not None
        ctx.adapter.begin(key)
        from ..scene import Tally

        xp = ctx.store.xp(ctx.profile) if ctx.profile else 0
        ctx.tally = Tally(level_before=ctx.store.level(ctx.profile) if ctx.profile else 1, xp_before=xp)
        limb = ctx.services.keyboard_limb
        if limb is not None:
            limb.kind = ctx.exercise.kind
        from .calibrate import CalibrateScene

        return Goto(CalibrateScene(ctx))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        key = self.menu.items[self.menu.selected].key
        x0 = 650
        ui.panel(surface, (x0, 160, 590, 540))
        try:
            info = info_for(key)
        except KeyError:
            ui.paragraph(
                surface, a, "See how you are doing, or change sound and set sizes.", (x0 + 30, 200), 530
            )
            return
        surface.blit(a.image(f"placement_{info.placement}"), (x0 + 10, 170))
        ui.text(
            surface,
            a,
            f"Puck on the {info.placement.replace('_', ' ')}",
            (x0 + 320, 200),
            ui.SMALL,
            ui.ORANGE,
        )
        ui.paragraph(
            surface, a, f"Game: {GAME_NAMES.get(info.game, info.game)}", (x0 + 320, 250), 260, ui.SMALL
        )
        ui.paragraph(surface, a, info.how, (x0 + 30, 530), 540, ui.SMALL)
        if self.locked:
            ui.text(
                surface,
                a,
                f"{self.locked} more unlock as you level up (level {self.level})",
                (60, 672),
                ui.SMALL,
                ui.MUTED,
            )
