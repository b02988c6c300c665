"""Choose or create a profile: one line per person, one key each."""

from __future__ import annotations

import pygame

from .. import ui
from ..menu import Menu, MenuItem
from ..scene import Context, Goto, MenuScene, Transition

__all__ = ["ProfileScene"]


class ProfileScene(MenuScene):
    name = "profile"
    title = "Welcome to RepQuest"
    help = "Who is exercising today? Press a number, or click your name."

    def __init__(self, ctx: Context) -> None:
        items = [
            MenuItem(f"p:{name}", name, f"level {ctx.store.level(name)}") for name in ctx.store.profiles[:6]
        ]
        items.append(MenuItem("new", "New profile"))
        super().__init__(ctx, Menu(items, origin=(140, 190), size=(640, 76)))

    def choose(self, key: str) -> Transition | None:
        store = self.ctx.store
        if key == "new":
            name = f"Player {len(store.profiles) + 1}"
            store.add_profile(name)
        else:
            name = key.removeprefix("p:")
        self.ctx.profile = name
        from .connect import ConnectScene

        return Goto(ConnectScene(self.ctx))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        a = self.ctx.assets
        ui.panel(surface, (840, 190, 380, 420))
        surface.blit(a.image("placement_shin"), (870, 230))
        ui.paragraph(surface, a, "Exercise games for your recovery", (860, 560), 340, ui.SMALL, ui.MUTED)
