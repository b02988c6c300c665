"""Settings: volume, mute, puck buzz and light, set size, number of sets, rest length, fullscreen."""

from __future__ import annotations

import contextlib

import pygame

from ..intents import Intent, IntentKind
from ..menu import Menu, MenuItem
from ..scene import Context, MenuScene, Pop, Transition

__all__ = ["SettingsScene"]


class SettingsScene(MenuScene):
    name = "settings"
    title = "Settings"
    help = "Enter or click changes a setting; Left and Right adjust numbers."

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, Menu([], origin=(140, 170), size=(1000, 62), gap=8))
        self._items()

    def _items(self) -> None:
        s = self.ctx.settings
        self.menu.items = [
            MenuItem("volume", "Volume", "muted" if s.muted else f"{round(s.volume * 10)} of 10"),
            MenuItem("mute", "Sound", "off" if s.muted else "on"),
            MenuItem("haptics", "Puck buzz and light", "on" if s.haptics else "off"),
            MenuItem("reps", "Repetitions per set", str(s.reps_per_set)),
            MenuItem("sets", "Sets", str(s.sets)),
            MenuItem("rest", "Rest between sets", f"{s.rest_s} s"),
            MenuItem("fullscreen", "Full screen (F11)", "on" if s.fullscreen else "off"),
            MenuItem("back", "Back"),
        ]
        self.menu.layout()

    def _adjust(self, key: str, step: int) -> None:
        s = self.ctx.settings
        if key == "volume":
            s.volume = round(min(1.0, max(0.0, s.volume + 0.1 * step)), 1)
            s.muted = False
        elif key == "reps":
            s.reps_per_set = min(30, max(1, s.reps_per_set + step))
        elif key == "sets":
            s.sets = min(5, max(1, s.sets + step))
        elif key == "rest":
            s.rest_s = min(180, max(10, s.rest_s + 10 * step))

    def handle(self, intent: Intent) -> Transition | None:
        key = self.menu.items[self.menu.selected].key
        if intent.kind in (IntentKind.LEFT, IntentKind.RIGHT) and key in ("volume", "reps", "sets", "rest"):
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
        else:  # numbers: Enter cycles upwards, wrapping round
            before = (s.volume, s.reps_per_set, s.sets, s.rest_s)
            self._adjust(key, 1)
            if before == (s.volume, s.reps_per_set, s.sets, s.rest_s):
                if key == "volume":
                    s.volume = 0.0
                elif key == "reps":
                    s.reps_per_set = 1
                elif key == "sets":
                    s.sets = 1
                else:
                    s.rest_s = 10
        self._items()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
