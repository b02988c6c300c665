"""Screens drawn over others: pause (with the stop-if-it-hurts advice), stop for pain (the session records
why), and reconnecting. While one of them is up, the exercise session is paused: nothing is counted."""

from __future__ import annotations

import math

import pygame

from .. import ui
from ..intents import Intent, IntentKind
from ..menu import Menu, MenuItem
from ..motion import MotionFrame
from ..scene import Context, Goto, Pop, Push, Quit, Replace, Scene, Transition

__all__ = ["PainScene", "PauseScene", "ReconnectScene"]

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
        running = ctx.adapter is not None and ctx.adapter.running
        items = [MenuItem("resume", "Carry on (Space)")]
        if running:
            items.append(MenuItem("pain", "Stop: something hurts"))
        items.append(MenuItem("settings", "Settings: sound and puck buzz"))
        if running:
            items.append(MenuItem("end", "End this session"))
        items.append(MenuItem("quit", "Quit RepQuest"))
        self.menu = Menu(items, origin=(240, 290), size=(800, 64), gap=10)

    def on_enter(self) -> None:
        if self.ctx.adapter is not None:
            self.ctx.adapter.pause()

    def _resume(self) -> Transition:
        if self.ctx.adapter is not None:
            self.ctx.adapter.resume()
        return Pop()

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind is IntentKind.PAUSE:
            return self._resume()
        key = self.menu.handle(intent)
        if key == "resume":
            return self._resume()
        if key == "pain":
            return Replace(PainScene(self.ctx))
        if key == "settings":
            from .settings import SettingsScene

            return Push(SettingsScene(self.ctx))
        if key == "end":
            from .summary import SummaryScene

            assert self.ctx.adapter is not None
            self.ctx.adapter.stop()
            return Goto(SummaryScene(self.ctx))
        if key == "quit":
            return Quit()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)
        a = self.ctx.assets
        ui.text(surface, a, self.headline, (ui.W // 2, 60), ui.TITLE, anchor="midtop")
        ui.panel(surface, (160, 140, 960, 124), (60, 40, 20))
        ui.cue_icon(surface, "coach", (215, 202), 30)
        ui.paragraph(surface, a, SAFETY, (270, 158), 820, ui.BODY)
        ui.menu(surface, a, self.menu)


PAIN_NOTES = (
    "Pain in the joint I was moving",
    "Pain somewhere else",
    "Dizzy, breathless or unwell",
    "Cramp or very tired",
    "Rather not say",
)


class PainScene(Scene):
    """Stop for pain: one key or click says what happened; the session records it and ends."""

    name = "pain"
    overlay = True
    pausable = False

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        items = [MenuItem(f"n{i}", note) for i, note in enumerate(PAIN_NOTES)]
        items.append(MenuItem("back", "Back: it was nothing"))
        self.menu = Menu(items, origin=(240, 250), size=(800, 62), gap=8)

    def handle(self, intent: Intent) -> Transition | None:
        key = self.menu.handle(intent)
        if intent.kind in (IntentKind.BACK, IntentKind.PAUSE) or key == "back":
            return Replace(PauseScene(self.ctx))
        if key is None:
            return None
        from .summary import SummaryScene

        assert self.ctx.adapter is not None
        self.ctx.adapter.stop_for_pain(PAIN_NOTES[int(key[1:])])
        return Goto(SummaryScene(self.ctx))

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)
        a = self.ctx.assets
        ui.text(surface, a, "Stop for today", (ui.W // 2, 40), ui.TITLE, anchor="midtop")
        ui.paragraph(surface, a, "What happened? It is saved for your therapist.", (240, 150), 800, ui.BODY)
        ui.menu(surface, a, self.menu)


class ReconnectScene(Scene):
    """The puck's link dropped: the game waits here; when it is back, the pause screen takes over."""

    name = "reconnecting"
    overlay = True
    pausable = False

    def handle(self, intent: Intent) -> Transition | None:
        if intent.kind in (IntentKind.CONFIRM, IntentKind.PAUSE, IntentKind.CLICK) and self._gave_up:
            return Goto(_after_giving_up(self.ctx))
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
    """The puck is gone for good: show what was saved, or go back to the connect screen."""
    if ctx.adapter is not None and ctx.adapter.session is not None:
        from .summary import SummaryScene

        ctx.adapter.stop()
        return SummaryScene(ctx)
    from .connect import ConnectScene

    return ConnectScene(ctx)
