"""What the player asked for, independent of the device: one key or one click each.

Scenes consume :class:`Intent` values, never raw pygame events; :mod:`repquest.games.input` maps keys, mouse
buttons and the window's close button to intents. Kept pygame-free so menus and rules are unit-tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Intent", "IntentKind"]


class IntentKind(Enum):
    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    CONFIRM = "confirm"  # Enter
    BACK = "back"  # Backspace
    PAUSE = "pause"  # Space, Esc, or a click on the pause button / the game field
    CLICK = "click"  # a left click at ``pos`` (logical 1280x720 coordinates)
    CHOOSE = "choose"  # number keys 1-9: ``index`` 0-8
    FULLSCREEN = "fullscreen"  # F11 or F
    MUTE = "mute"  # M
    VOLUME_UP = "volume_up"  # + or =
    VOLUME_DOWN = "volume_down"  # -
    QUIT = "quit"  # the window's close button
    FINISH = "finish"  # the demo's autopilot: the virtual person has finished the set


@dataclass(frozen=True, slots=True)
class Intent:
    kind: IntentKind
    pos: tuple[int, int] | None = None
    index: int = 0
