"""Settings: volume, mute, puck buzz and light, fullscreen.

How many repetitions, sets and how long a rest come from the therapist's plan or the person's level (the
exercise session adapts them), so they are not settings.
"""

from __future__ import annotations

import contextlib

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..menu import Menu, MenuItem
from ..scene import Context, MenuScene, Pop, Transition

__all__ = ["SettingsScene"]


class SettingsScene(MenuScene):
    name = "settings"
    title = "Settings"
    help = "Enter or click changes a setting; Left and Right change the volume."

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, Menu([], origin=(140, 180), size=(1000, 70), gap=12))
        self._items()

    def _items(self) -> None:
        s = self.ctx.settings
        self.menu.items = [
            MenuItem("volume", "Volume", "muted" if s.muted else f"{round(s.volume * 10)} of 10"),
            MenuItem("mute", "Sound", "off" if s.muted else "on"),
            MenuItem("haptics", "Puck buzz and light", "on" if s.haptics else "off"),
            MenuItem("fullscreen", "Full screen (F11)", "on" if s.fullscreen else "off"),
            MenuItem("back", "Back"),
        ]
        self.menu.layout()

    def _adjust(self, key: str, step: int) -> None:
        s = self.ctx.settings
        if key == "volume":
            s.volume = round(min(1.0, max(0.0, s.volume + 0.1 * step)), 1)
            s.muted = False

    def handle(self, intent: Intent) -> Transition | None:
        key = self.menu.items[self.menu.selected].key
        if intent.kind in (IntentKind.LEFT, IntentKind.RIGHT) and key == "volume":
            self._adjust(key, 1 if intent.kind is IntentKind.RIGHT else -1)
            self._items()
            return None
        if intent.kind is IntentKind.BACK:
            return Pop()
        return super().handle(intent)

    def choose(self, key: str) -> Transition | None:
        s = self.ctx.settings
        if key == "back":
            return Pop()
        if key == "mute":
            s.muted = not s.muted
        elif key == "haptics":
            s.haptics = not s.haptics
            if self.ctx.adapter is not None:
                self.ctx.adapter.haptics = s.haptics
        elif key == "fullscreen":
            s.fullscreen = not s.fullscreen
            with contextlib.suppress(pygame.error):
                pygame.display.toggle_fullscreen()
        elif key == "volume":  # Enter turns it up, wrapping round to silent
            s.volume = 0.0 if s.volume >= 1.0 else round(s.volume + 0.1, 1)
            s.muted = False
        self._items()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        note = "Repetitions, sets and rest follow your therapist's plan and your level."
        ui.text(surface, self.ctx.assets, note, (140, 660), ui.SMALL, ui.MUTED, max_width=1000)
