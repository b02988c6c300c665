"""Whether this computer can show a window: decides between the game and the terminal view."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

__all__ = ["has_screen"]


def has_screen(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a window can be seen.

    On Linux and the BSDs a window needs an X or Wayland display; without one SDL quietly picks its offscreen
    driver and the game would run where nobody can see it. An explicit ``SDL_VIDEODRIVER`` is the user's
    choice and is respected. Windows and macOS always have a screen.
    """
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    if env.get("SDL_VIDEODRIVER"):
        return True
    if plat.startswith(("win", "darwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
