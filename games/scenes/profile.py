"""Choose or create a profile: one line per person, one key each; the last one used is preselected."""

from __future__ import annotations

import pygame

from repquest.progress import ACTIVE_PROFILE, overall_level

from .. import ui
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Transition, now_iso

__all__ = ["ProfileScene"]


class ProfileScene(MenuScene):
    name = "profile"
    title = "Welcome to RepQuest"
    help = "Who is exercising today? Press a number, or click your name."

    def __init__(self, ctx: Context) -> None:
        store = ctx.store
        names = store.profiles()
        shown = names[:6]
        if ctx.profile in names and ctx.profile not in shown:  # the plan's person is always on the list
            shown = [*names[:5], ctx.profile]
        items = []
        for name in shown:
            xp = store.total_xp(store.profile_id(name, now_iso()))
            items.append(MenuItem(f"p:{name}", name, f"level {overall_level(xp)}"))
        items.append(MenuItem("new", "New profile"))
        super().__init__(ctx, Menu(items, origin=(140, 190), size=(640, 76)))
        active = ctx.profile or store.setting(ACTIVE_PROFILE)
        if active in names:
            self.menu.select_key(f"p:{active}")

    def choose(self, key: str) -> Transition | None:
        store = self.ctx.store
        if key == "new":
            taken = set(store.profiles())
            n = len(taken) + 1
            while f"Player {n}" in taken:
                n += 1
            name = f"Player {n}"
        else:
            name = key.removeprefix("p:")
        store.profile_id(name, now_iso())
        store.set_setting(ACTIVE_PROFILE, name)
        self.ctx.profile = name
        from .connect import ConnectScene

        return Goto(ConnectScene(self.ctx))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        ui.panel(surface, (840, 160, 380, 500))
        surface.blit(a.image("placement_shin"), (870, 175))
        ui.paragraph(surface, a, "Exercise games for your recovery", (870, 560), 330, ui.SMALL, ui.MUTED)
        if self.ctx.plan is not None:
            ui.paragraph(surface, a, "Following your therapist's plan", (140, 640), 700, ui.SMALL, ui.YELLOW)
