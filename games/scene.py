"""Scenes and the transitions they return, plus the context they share.

A scene has ``on_enter / handle(intent) / update(dt, motion) / draw(surface)``; ``handle`` and ``update`` return
a :data:`Transition` (or None) instead of reaching into the app; ``draw`` changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from . import ui
from .intents import Intent
from .menu import Menu
from .motion import MotionFrame

if TYPE_CHECKING:
    from repquest.exercises import Catalog
    from repquest.plan import Plan
    from repquest.progress import Store
    from repquest.session import SessionConfig

    from .assets import Assets
    from .exercise_info import ExerciseInfo
    from .minigames.rules_base import Cue
    from .services import Services
    from .session_link import GameSession

__all__ = [
    "Context",
    "Goto",
    "MenuScene",
    "Pop",
    "Push",
    "Quit",
    "Replace",
    "Scene",
    "Settings",
    "Transition",
    "now_iso",
]


def now_iso() -> str:
    """Wall-clock time for the store (profiles created, and so on)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Settings:
    volume: float = 0.7
    muted: bool = False
    haptics: bool = True
    fullscreen: bool = False


@dataclass
class Context:
    """What scenes share: assets, settings, the progress store, the catalog (and the therapist's plan, if
    any), the chosen profile and exercise, and the running session (``adapter``).

    ``session_config``: dose overrides for every session (the demo's); a plan's dose comes before it.
    ``level_before``: the overall level when the current session began (for the level-up moment).
    """

    assets: Assets
    services: Services
    store: Store
    catalog: Catalog
    settings: Settings = field(default_factory=Settings)
    plan: Plan | None = None
    session_config: SessionConfig | None = None
    profile: str | None = None
    exercise: ExerciseInfo | None = None
    adapter: GameSession | None = None
    level_before: int = 1
    demo: bool = False
    game_override: str | None = None
    preselect: str | None = None  # the exercise the choose screen starts on (the demo's)
    keyboard_puck: bool = False
    captions: list[tuple[str, float]] = field(default_factory=list)  # (caption, seconds left)
    time_s: float = 0.0

    def say(self, cue: Cue) -> None:
        """Play a cue's sound (if any) and always show its caption."""
        if cue.sound is not None:
            volume = 0.0 if self.settings.muted else self.settings.volume
            self.assets.play(cue.sound, volume)
            from .assets import CAPTIONS

            self._caption(CAPTIONS.get(cue.sound, f"[{cue.sound}]"))

    def _caption(self, caption: str) -> None:
        self.captions = [*self.captions[-1:], (caption, 2.5)]


@dataclass(frozen=True, slots=True)
class Goto:
    scene: Scene


@dataclass(frozen=True, slots=True)
class Push:
    scene: Scene


@dataclass(frozen=True, slots=True)
class Replace:
    """Swap the top scene (an overlay) for another, keeping what lies beneath."""

    scene: Scene


@dataclass(frozen=True, slots=True)
class Pop:
    pass


@dataclass(frozen=True, slots=True)
class Quit:
    pass


Transition = Goto | Push | Replace | Pop | Quit


class Scene:
    """Base scene. ``in_game``: a click anywhere pauses and the arrow keys drive the keyboard puck."""

    name = "scene"
    in_game = False
    pausable = True

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.t = 0.0

    def on_enter(self) -> None:
        """Called each time the scene becomes the top one."""

    def handle(self, intent: Intent) -> Transition | None:
        return None

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)


class MenuScene(Scene):
    """A title, an optional line of help, and a menu; subclasses implement ``choose``."""

    title = ""
    help = ""

    def __init__(self, ctx: Context, menu: Menu) -> None:
        super().__init__(ctx)
        self.menu = menu

    def handle(self, intent: Intent) -> Transition | None:
        key = self.menu.handle(intent)
        return self.choose(key) if key is not None else None

    def choose(self, key: str) -> Transition | None:
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(ui.BG)
        a = self.ctx.assets
        ui.text(surface, a, self.title, (60, 40), ui.TITLE)
        if self.help:
            ui.text(surface, a, self.help, (60, 112), ui.SMALL, ui.MUTED)
        ui.menu(surface, a, self.menu)
