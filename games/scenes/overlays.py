"""Screens drawn over others: pause (with the stop-if-it-hurts advice) and reconnecting."""

from __future__ import annotations

import math

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..menu import Menu, MenuItem
from ..motion import MotionFrame
from ..scene import Context, Goto, Pop, Push, Quit, Replace, Scene, Transition

__all__ = ["PauseScene", "ReconnectScene"]

SAFETY = "If anything hurts, stop now. Rest, and check with your therapist before you carry on."


def _veil(surface: pygame.Surface) -> None:
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((8, 12, 24, 225))
    surface.blit(veil, (0, 0))


class PauseScene(Scene):
    name = "pause"
    overlay = True
    pausable = False

    def __init__(self, ctx: Context, headline: str = "Paused") -> None:
        super().__init__(ctx)
        self.headline = headline
        self.menu = Menu(
            [
                MenuItem("resume", "Carry on (Space)"),
                MenuItem("settings", "Settings: sound, sets, rest"),
                MenuItem("end", "End this session"),
                MenuItem("quit", "Quit RepQuest"),
            ],
            origin=(240, 330),
            size=(800, 70),
        )

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind is IntentKind.PAUSE:
            return Pop()
        key = self.menu.handle(intent)
        if key == "resume":
            return Pop()
        if key == "settings":
            from .settings import SettingsScene

            return Push(SettingsScene(self.ctx))
        if key == "end":
            from .summary import SummaryScene

            if self.ctx.adapter is not None and self.ctx.adapter.session_id is not None:
                return Goto(SummaryScene(self.ctx))
            from .choose import ChooseScene

            return Goto(ChooseScene(self.ctx)) if self.ctx.adapter is not None else Quit()
        if key == "quit":
            return Quit()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)
        a = self.ctx.assets
        ui.text(surface, a, self.headline, (ui.W // 2, 60), ui.TITLE, anchor="midtop")
        ui.panel(surface, (160, 140, 960, 170), (60, 40, 20))
        ui.cue_icon(surface, "coach", (215, 190), 30)
        ui.paragraph(surface, a, SAFETY, (270, 160), 820, ui.BODY)
        ui.menu(surface, a, self.menu)


class ReconnectScene(Scene):
    """The puck's link dropped: the game waits here; when it is back, the pause screen takes over."""

    name = "reconnecting"
    overlay = True
    pausable = False

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.PAUSE, IntentKind.CLICK):
            return Goto(_after_giving_up(self.ctx)) if self._gave_up else None
        return None

    _gave_up = False

    def update(self, dt: float, motion: MotionFrame) -> Transition | None:
        self.t += dt
        self.link = motion.link
        self._gave_up = motion.link.gave_up
        if motion.link.connected:
            return Replace(PauseScene(self.ctx, "The puck is back"))
        return None

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)
        a = self.ctx.assets
        link = self.ctx.adapter.main.state if self.ctx.adapter else None
        ui.text(surface, a, "Reconnecting to the puck ...", (ui.W // 2, 200), ui.TITLE, anchor="midtop")
        # a slow turning dot: one turn every 2 s, nothing flashes
        angle = self.t * math.pi
        cx, cy = ui.W // 2, 360
        pygame.draw.circle(surface, ui.MUTED, (cx, cy), 50, 4)
        pygame.draw.circle(
            surface, ui.SKY, (cx + int(50 * math.cos(angle)), cy + int(50 * math.sin(angle))), 14
        )
        msg = "The game is paused. Keep the puck close and switched on."
        if link is not None and link.gave_up:
            msg = "The puck is not answering. Check it is charged, then press Enter."
        elif link is not None and link.attempt:
            msg += f" (try {link.attempt})"
        ui.paragraph(surface, a, msg, (200, 450), 880)


def _after_giving_up(ctx: Context) -> Scene:
    from .connect import ConnectScene

    return ConnectScene(ctx)
