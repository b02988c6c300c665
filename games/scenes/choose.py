"""Choose an exercise: the therapist's plan when there is one, else what the catalog has unlocked for this
profile; with a picture of where the puck goes, how to move, and the therapist's note."""

from __future__ import annotations

import dataclasses

import pygame

from repquest.exercises import Exercise
from repquest.progress import overall_level, unlocked
from repquest.session import SessionConfig

from .. import ui
from ..exercise_info import info_for
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Push, Transition, now_iso

__all__ = ["ChooseScene"]

PAGE = 4
GAME_NAMES = {
    "balloon": "Balloon ride",
    "bridge": "Bridge builder",
    "glider": "Glider",
    "journey": "Journey",
    "garden": "Garden",
}


def _options(ctx: Context) -> tuple[list[Exercise], int]:
    """The exercises to offer (the plan's, else the unlocked ones by tier), and how many are still locked."""
    if ctx.plan is not None:
        return list(ctx.plan.exercises), 0
    assert ctx.profile is not None
    pid = ctx.store.profile_id(ctx.profile, now_iso())
    open_ids = unlocked(ctx.catalog, ctx.store.levels(pid))
    shown = sorted((ex for ex in ctx.catalog.values() if ex.id in open_ids), key=lambda ex: ex.tier)
    return shown, len(ctx.catalog) - len(shown)


def _label(ex: Exercise) -> str:
    """A passive exercise says so (the catalog names usually do already)."""
    return ex.name if not ex.passive or "helper" in ex.name.lower() else f"{ex.name} (with a helper)"


def ids_of(scene: ChooseScene) -> set[str]:
    return {ex.id for ex in scene.all_options}


class ChooseScene(MenuScene):
    name = "choose"
    title = "Choose an exercise"
    help = "Follow your therapist's plan. Arrows to look, Enter or a number to start."

    def __init__(self, ctx: Context, preselect: str | None = None) -> None:
        super().__init__(ctx, Menu([], origin=(60, 150), size=(560, 56), gap=5))
        self.all_options, self.locked = _options(ctx)
        preselect = preselect or ctx.preselect
        if ctx.demo and preselect is not None and preselect in ctx.catalog and preselect not in ids_of(self):
            self.all_options.insert(0, ctx.catalog[preselect])  # the demo shows any exercise
        # Exercises a helper does (passive) are listed apart, one key away: "With a helper".
        self.has_helper = any(ex.passive for ex in self.all_options) and ctx.plan is None
        self.helper = (
            bool(preselect in ctx.catalog and ctx.catalog[preselect].passive) if preselect else False
        )
        ids = [ex.id for ex in self.options]
        self.page = ids.index(preselect) // PAGE if preselect in ids else 0
        self._items()
        if preselect:
            self.menu.select_key(preselect)
        if ctx.plan is not None:
            self.help = "Your therapist's plan. Arrows to look, Enter or a number to start."

    @property
    def options(self) -> list[Exercise]:
        if not self.has_helper:
            return self.all_options
        return [ex for ex in self.all_options if ex.passive == self.helper]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.options) // PAGE))

    def _items(self) -> None:
        shown = self.options[self.page * PAGE : (self.page + 1) * PAGE]
        items = [MenuItem(ex.id, _label(ex)) for ex in shown]
        if self.pages > 1:
            items.append(MenuItem("more", f"More exercises ({self.page + 1} of {self.pages})"))
        if self.has_helper:
            items.append(
                MenuItem("helper", "Back to my own exercises" if self.helper else "With a helper (assisted)")
            )
        items += [MenuItem("progress", "My progress"), MenuItem("settings", "Settings")]
        self.menu.items = items
        self.menu.layout()

    def choose(self, key: str) -> Transition | None:
        ctx = self.ctx
        if key == "more":
            self.page = (self.page + 1) % self.pages
            self._items()
            self.menu.selected = 0
            return None
        if key == "helper":
            self.helper, self.page = not self.helper, 0
            self._items()
            self.menu.selected = 0
            return None
        if key == "progress":
            from .progress import ProgressScene

            return Push(ProgressScene(ctx))
        if key == "settings":
            from .settings import SettingsScene

            return Push(SettingsScene(ctx))
        return self._start(ctx.catalog[key])

    def _start(self, exercise: Exercise) -> Transition:
        ctx = self.ctx
        assert ctx.adapter is not None
        assert ctx.profile is not None
        ctx.exercise = info = info_for(exercise)
        config = dataclasses.replace(ctx.session_config or SessionConfig(), profile=ctx.profile)
        if ctx.plan is not None and exercise.id in ctx.plan.ids:
            dose = ctx.plan.dose(exercise.id)
            config = dataclasses.replace(config, sets=int(dose["sets"]), reps=int(dose["reps"]),
                                         rest_s=dose["rest_s"])  # fmt: skip
        if ctx.plan is not None:  # the therapist's level cap holds whichever exercise is played
            config = dataclasses.replace(config, max_level=ctx.plan.level_cap(exercise.id))
        pid = ctx.store.profile_id(ctx.profile, now_iso())
        ctx.level_before = overall_level(ctx.store.total_xp(pid))
        ctx.adapter.begin(exercise, config)
        limb = ctx.services.keyboard_limb
        if limb is not None:
            limb.kind = info.kind
        from .calibrate import CalibrateScene

        return Goto(CalibrateScene(ctx))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        key = self.menu.items[self.menu.selected].key
        x0 = 650
        ui.panel(surface, (x0, 150, 590, 550))
        plan_note = self.ctx.plan.note if self.ctx.plan is not None else ""
        if plan_note:  # the therapist's word for the whole plan, under the list
            last = self.menu.rects[-1]
            ui.paragraph(surface, a, "From your therapist: " + plan_note, (60, last[1] + last[3] + 24), 560,
                         ui.SMALL, ui.YELLOW)  # fmt: skip
        if key == "helper":
            text = (
                "Back to the exercises you do yourself."
                if self.helper
                else "Exercises where a helper moves the limb for you. The game speaks to the helper, and "
                "the record marks these repetitions as assisted."
            )
            ui.paragraph(surface, a, text, (x0 + 30, 190), 530)
            return
        if key not in self.ctx.catalog:
            text = (
                "Show the next few exercises." if key == "more" else "See how you are doing, or change sound."
            )
            ui.paragraph(surface, a, text, (x0 + 30, 190), 530)
            return
        info = info_for(self.ctx.catalog[key])
        surface.blit(a.image(f"placement_{info.placement}"), (x0 + 10, 160))
        ui.paragraph(surface, a, f"Puck on the {info.exercise.placement.describe()}", (x0 + 320, 180), 250,
                     ui.SMALL, ui.ORANGE)  # fmt: skip
        ui.paragraph(
            surface, a, f"Game: {GAME_NAMES.get(info.game, info.game)}", (x0 + 320, 330), 250, ui.SMALL
        )
        y = 510
        if info.assisted:
            ui.paragraph(surface, a, "Assisted: a helper moves the limb", (x0 + 320, 410), 250, ui.SMALL,
                         ui.YELLOW)  # fmt: skip
        note = self.ctx.plan.notes.get(key) if self.ctx.plan is not None else None
        if note:  # the therapist's note first, then the first step
            y = ui.paragraph(surface, a, "Therapist: " + note, (x0 + 30, y), 540, ui.SMALL, ui.YELLOW) + 6
            ui.paragraph(surface, a, info.exercise.instructions[0], (x0 + 30, y), 540, ui.SMALL)
        else:
            ui.paragraph(surface, a, info.how, (x0 + 30, y), 540, ui.SMALL)
        if self.ctx.plan is not None and not plan_note:
            ui.text(surface, a, "Your therapist's plan", (60, 660), ui.SMALL, ui.MUTED)
        if self.locked and self.ctx.plan is None:
            ui.text(surface, a, f"{self.locked} more open up as you level up", (60, 660), ui.SMALL, ui.MUTED)
