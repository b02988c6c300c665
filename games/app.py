"""The app shell: window, scene stack, the async frame loop with a fixed timestep, and what every screen
shares (pause, reconnecting, captions, volume, fullscreen).

The frame loop is a coroutine on the one asyncio loop the Bluetooth code also uses; it never awaits a device.
Each frame: input -> intents, one poll of the session (movement events, already recorded), fixed-timestep
updates, draw on a 1280x720 canvas, flip, then sleep on the clock until the next frame is due.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable

import pygame

from . import ui
from .input import intents_from_event
from .intents import Intent, IntentKind
from .menu import contains
from .motion import IDLE, MotionFrame
from .scene import Context, Goto, Pop, Push, Quit, Replace, Scene, Transition
from .scenes.overlays import PauseScene, ReconnectScene

__all__ = ["App", "open_window"]

FPS = 60
DT = 1.0 / FPS
MAX_STEPS = 5


def open_window(fullscreen: bool = False) -> pygame.Surface:
    """The 1280x720 window, resizable (SDL scales the logical canvas), optionally fullscreen."""
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_caption("RepQuest")
    # SCALED keeps the 1280x720 canvas whatever the window size; the dummy driver has no renderer for it.
    scaled = pygame.SCALED if pygame.display.get_driver() != "dummy" else 0
    flags = scaled | pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
    try:
        return pygame.display.set_mode((ui.W, ui.H), flags)
    except pygame.error:
        return pygame.display.set_mode((ui.W, ui.H), pygame.RESIZABLE)


class App:
    """Runs a stack of scenes. ``frame()`` does one frame synchronously (the harness calls it directly)."""

    def __init__(self, ctx: Context, first: Scene, screen: pygame.Surface) -> None:
        self.ctx = ctx
        self.screen = screen
        self.stack: list[Scene] = []
        self.running = True
        self.frames = 0
        self.frame_ms: list[float] = []
        self.injected: list[Intent] = []
        self.held: set[int] = set()
        self.on_frame: Callable[[App], None] | None = None
        self._accum = 0.0
        self._last_t: float | None = None
        self._push(first)

    @property
    def top(self) -> Scene:
        return self.stack[-1]

    def _push(self, scene: Scene) -> None:
        self.stack.append(scene)
        scene.on_enter()

    def apply(self, tr: Transition | None) -> None:
        if tr is None:
            return
        if isinstance(tr, Quit):
            self.running = False
        elif isinstance(tr, Goto):
            self.stack.clear()
            self._push(tr.scene)
        elif isinstance(tr, Push):
            self._push(tr.scene)
        elif isinstance(tr, Replace):
            self.stack.pop()
            self._push(tr.scene)
        elif isinstance(tr, Pop) and len(self.stack) > 1:
            self.stack.pop()
            self.top.on_enter()

    def inject(self, intent: Intent) -> None:
        self.injected.append(intent)

    # -- global intents --------------------------------------------------------------------------------------

    def _global(self, intent: Intent) -> bool:
        """Intents every screen shares; True when handled here."""
        s = self.ctx.settings
        kind = intent.kind
        if kind is IntentKind.QUIT:
            self.running = False
        elif kind is IntentKind.FULLSCREEN:
            s.fullscreen = not s.fullscreen
            with contextlib.suppress(pygame.error):
                pygame.display.toggle_fullscreen()
        elif kind is IntentKind.MUTE:
            s.muted = not s.muted
            self.ctx._caption("[sound off]" if s.muted else "[sound on]")
        elif kind in (IntentKind.VOLUME_UP, IntentKind.VOLUME_DOWN):
            step = 0.1 if kind is IntentKind.VOLUME_UP else -0.1
            s.volume = round(min(1.0, max(0.0, s.volume + step)), 1)
            s.muted = False
            self.ctx._caption(f"[volume {round(s.volume * 10)} of 10]")
        elif self._wants_pause(intent):
            self.apply(Push(PauseScene(self.ctx)))
        else:
            return False
        return True

    def _wants_pause(self, intent: Intent) -> bool:
        top = self.top
        if not top.pausable:
            return False
        if intent.kind is IntentKind.PAUSE:
            return True
        if intent.kind is IntentKind.CLICK and intent.pos is not None:
            return contains(ui.PAUSE_RECT, intent.pos) or top.in_game
        return False

    # -- the frame -------------------------------------------------------------------------------------------

    def _intents(self) -> list[Intent]:
        intents: list[Intent] = []
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                self.held.add(event.key)
            elif event.type == pygame.KEYUP:
                self.held.discard(event.key)
            intents.extend(intents_from_event(event))
        intents.extend(self.injected)
        self.injected.clear()
        return intents

    def _drive_keyboard_puck(self) -> None:
        limb = self.ctx.services.keyboard_limb
        if limb is None:
            return
        active = self.top.in_game or self.top.name == "calibrate"
        up = active and (pygame.K_UP in self.held or pygame.K_RIGHT in self.held)
        down = active and pygame.K_LEFT in self.held
        limb.direction = 1 if up else -1 if down else 0
        limb.fast = active and bool(self.held & {pygame.K_LSHIFT, pygame.K_RSHIFT})

    def _watch_link(self, motion: MotionFrame) -> None:
        if motion.link.reconnecting and self.top.pausable and self.ctx.adapter is not None:
            self.apply(Push(ReconnectScene(self.ctx)))

    def frame(self, now_s: float) -> None:
        """One frame at clock time ``now_s``."""
        started = time.perf_counter()
        dt_clock = 0.0 if self._last_t is None else max(0.0, now_s - self._last_t)
        self._last_t = now_s
        for intent in self._intents():
            if not self.running:
                break
            if not self._global(intent):
                self.apply(self.top.handle(intent))
        self._drive_keyboard_puck()
        adapter = self.ctx.adapter
        motion = adapter.poll() if adapter is not None else IDLE
        self._watch_link(motion)
        self._accum = min(self._accum + dt_clock, MAX_STEPS * DT)
        steps = 0
        while self._accum >= DT - 1e-9 and self.running:
            self._accum -= DT
            frame_motion = (
                motion if steps == 0 else MotionFrame([], motion.progress, motion.angle_deg, motion.link)
            )
            self.ctx.time_s += DT
            self.ctx.captions = [(c, left - DT) for c, left in self.ctx.captions if left - DT > 0]
            self.apply(self.top.update(DT, frame_motion))
            steps += 1
        if steps == 0 and motion.events:  # events never wait for the next step: hand them over now
            self.apply(self.top.update(0.0, motion))
        self.draw()
        pygame.display.flip()
        self.frames += 1
        self.frame_ms.append((time.perf_counter() - started) * 1000.0)
        if self.on_frame is not None:
            self.on_frame(self)

    def draw(self) -> None:
        surface = self.screen
        # overlays draw over the scene beneath them
        base = len(self.stack) - 1
        while base > 0 and getattr(self.stack[base], "overlay", False):
            base -= 1
        for scene in self.stack[base:]:
            scene.draw(surface)
        a = self.ctx.assets
        if self.top.pausable:
            ui.pause_button(surface, a)
        if self.ctx.captions:
            caption = "   ".join(c for c, _ in self.ctx.captions)
            img = a.text(caption, ui.SMALL, ui.YELLOW)
            rect = img.get_rect(midbottom=(ui.W // 2, ui.H - 8))
            pygame.draw.rect(surface, (0, 0, 0), rect.inflate(24, 8), border_radius=8)
            surface.blit(img, rect)

    async def run(self, clock_now: Callable[[], float], sleep: Callable[[float], Awaitable[None]]) -> None:
        """Frames until a scene quits: ``sleep`` is the clock's (awaitable) sleep."""
        next_t = clock_now()
        while self.running:
            self.frame(clock_now())
            next_t += DT
            now = clock_now()
            if next_t < now - 0.25:  # far behind (a stall): do not try to catch up with a burst
                next_t = now
            await sleep(max(0.0, next_t - now))
