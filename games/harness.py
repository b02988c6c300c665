"""A headless pilot for the app: inject intents, step frames on a virtual clock, save screenshots.

Set ``SDL_VIDEODRIVER=dummy`` (and the audio one) before pygame is first imported. The pucks are virtual:
the keyboard limb by default, or a simulated set; movement events can also be handed in directly.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from repquest.clock import VirtualClock
from repquest.dsp import Event
from repquest.plan import Plan
from repquest.progress import Store
from repquest.session import SessionConfig

from .app import App
from .intents import Intent, IntentKind
from .keyboard_puck import KeyboardLimb
from .runner import build_app
from .scene import Settings
from .services import Services

__all__ = ["Harness"]


class Harness:
    """Args: exercise: preselected on the choose screen; store: a progress store (default: in memory);
    session_config: dose overrides (default: 1 set of 3 reps, 5 s rest, no warm-up); plan: a therapist's plan.
    """

    def __init__(
        self,
        exercise: str | None = None,
        settings: Settings | None = None,
        *,
        store: Store | None = None,
        session_config: SessionConfig | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.clock = VirtualClock()
        self.limb = KeyboardLimb()
        services = Services(self.clock, lambda i: self.limb)
        services.keyboard_limb = self.limb
        self.store = store or Store(":memory:")
        config = session_config or SessionConfig(sets=2, reps=3, rest_s=5.0, warmup_reps=0)
        self.app: App = build_app(
            services,
            self.store,
            settings=settings,
            audio=False,
            preselect=exercise,
            session_config=config,
            plan=plan,
        )

    @property
    def scene(self) -> str:
        return self.app.top.name

    async def step(self, frames: int = 1) -> None:
        for _ in range(frames):
            self.app.frame(self.clock.now())
            await self.clock.sleep(1 / 60)

    def press(self, kind: IntentKind) -> None:
        self.app.inject(Intent(kind))

    def choose(self, index: int) -> None:
        self.app.inject(Intent(IntentKind.CHOOSE, index=index))

    def click(self, x: int, y: int) -> None:
        self.app.inject(Intent(IntentKind.CLICK, pos=(x, y)))

    def feed(self, ev: Event) -> None:
        adapter = self.app.ctx.adapter
        assert adapter is not None, "connect first"
        adapter.inject(ev)

    def save(self, path: Path) -> None:
        pygame.image.save(self.app.screen, str(path))

    async def to_game(self, exercise: str) -> None:
        """Through profile, connect (virtual puck), choose and calibrate (Enter: start now) to the mini-game."""
        await self.step()
        if self.scene == "profile":
            self.choose(len(self.app.top.menu.items) - 1)  # type: ignore[attr-defined]  # "New profile"
            await self.step(2)
        if self.scene == "connect":
            self.press(IntentKind.CONFIRM)
            await self.step(2)
        assert exercise in {ex.id for ex in self.app.top.options}, f"{exercise} is not offered"  # type: ignore[attr-defined]
        self.app.top.menu.select_key(exercise)  # type: ignore[attr-defined]
        self.press(IntentKind.CONFIRM)
        await self.step(2)
        if self.scene == "calibrate":  # (walking needs no measuring and starts at once)
            self.press(IntentKind.CONFIRM)
            await self.step(2)

    async def close(self) -> None:
        app = self.app
        if app.ctx.adapter is not None:
            await app.ctx.adapter.close()
        await app.ctx.services.close()
