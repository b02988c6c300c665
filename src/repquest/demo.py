"""The windowed app's entry points: ``repquest play`` (real puck, or the keyboard-driven virtual puck) and
``repquest demo`` (the whole app with the virtual puck doing the exercise by itself: an attract mode and the
automated check of the whole stack).

The demo's autopilot presses the keys a person would (one per screen), takes screenshots, and at the end
reports how many repetitions the virtual person performed and how many the game counted and recorded.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from repquest.clock import Clock, VirtualClock, WallClock
from repquest.errors import UsageError

if TYPE_CHECKING:
    from repquest.games.app import App
    from repquest.plan import Plan
    from repquest.simulator import SimulatedSet

__all__ = ["demo_command", "play_command"]

MENU_S = 1.0  # how long the autopilot looks at each menu before pressing a key
START_REST_S = 6.0  # the virtual person rests this long after connecting (the menus go by meanwhile)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100.0 * (len(ordered) - 1)))]


@dataclass
class _Autopilot:
    """Presses one key per screen, like a person would, and takes screenshots."""

    sets: list[SimulatedSet]
    shots_dir: Path | None
    shots: list[str] = field(default_factory=list)
    _seen: dict[int, float] = field(default_factory=dict)
    _last_shot_t: float = -1e9
    _pressed: set[int] = field(default_factory=set)

    def _shot(self, app: App, label: str) -> None:
        if self.shots_dir is None:
            return
        import pygame

        path = self.shots_dir / f"{len(self.shots):02d}_{label.replace(':', '_')}.png"
        pygame.image.save(app.screen, str(path))
        self.shots.append(str(path))

    def __call__(self, app: App) -> None:
        from repquest.games.intents import Intent, IntentKind

        scene = app.top
        key = id(scene)
        if key not in self._seen:
            self._seen[key] = scene.t
        if scene.t >= 0.5 and key not in self._pressed and not scene.in_game:
            self._shot(app, scene.name)
            self._pressed.add(key)
        if scene.in_game:
            if scene.t - self._last_shot_t >= 7.0 and scene.t >= 1.0:
                self._shot(app, scene.name)
                self._last_shot_t = scene.t
            pucks = app.ctx.services.virtual_pucks
            if pucks and pucks[0].now_s > self.sets[0].duration_s + 1.5:
                self._shot(app, scene.name)
                app.inject(Intent(IntentKind.FINISH))
            return
        if scene.name == "summary" and scene.t >= 2.5:
            app.running = False
        elif scene.name not in ("summary", "pause", "reconnecting") and scene.t >= MENU_S:
            if key not in self._pressed:
                self._shot(app, scene.name)
                self._pressed.add(key)
            if self._seen.get(key, 0.0) >= 0 and not getattr(scene, "_autopiloted", False):
                scene._autopiloted = True  # type: ignore[attr-defined]
                app.inject(Intent(IntentKind.CONFIRM))


def demo_command(
    *,
    exercise: str,
    reps: int,
    fast: bool,
    as_json: bool,
    screenshots: Path | None,
    pucks: int = 1,
    rate_hz: int = 100,
    game: str | None = None,
    seed: int | None = None,
    out: TextIO = sys.stdout,
) -> int:
    from repquest.exercises import default_catalog
    from repquest.games.minigames import GAME_IDS
    from repquest.session_command import simulated_model
    from repquest.simulator import EXERCISE_IDS

    try:
        chosen = default_catalog().resolve(exercise)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    if game is not None and game not in GAME_IDS:
        raise UsageError(f"unknown game {game!r}; valid: {', '.join(GAME_IDS)}")
    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
    model = exercise if exercise in EXERCISE_IDS else simulated_model(chosen)
    result = asyncio.run(_demo(model, chosen.id, reps, fast, screenshots, pucks, rate_hz, game, seed))
    if as_json:
        out.write(json.dumps(result) + "\n")
    else:
        out.write(
            f"performed {result['reps_performed']} reps, counted {result['reps_counted']}; "
            f"{result['frames']} frames, {result['fps']} fps, frame p50 {result['frame_ms_p50']} ms, "
            f"p99 {result['frame_ms_p99']} ms\n"
        )
    return 0


async def _demo(
    model: str,
    exercise: str,
    reps: int,
    fast: bool,
    shots: Path | None,
    pucks: int,
    rate_hz: int,
    game: str | None,
    seed: int | None,
) -> dict[str, Any]:
    from repquest.games.runner import build_app, run_app
    from repquest.games.services import Services
    from repquest.progress import ACTIVE_PROFILE, Store
    from repquest.session import SessionConfig
    from repquest.simulator import build_set

    base = random.randrange(1 << 31) if seed is None else seed
    sets = [
        build_set(model, reps, seed=base + i, rate_hz=float(rate_hz), start_rest_s=START_REST_S)
        for i in range(pucks)
    ]
    clock: Clock = VirtualClock() if fast else WallClock()
    services = Services(clock, lambda i: sets[i], pucks=pucks, rate_hz=rate_hz)
    store = Store(":memory:")  # the real progress store, kept in memory: a demo leaves nothing behind
    store.profile_id("Demo", "2026-01-01T00:00:00+00:00")
    store.set_setting(ACTIVE_PROFILE, "Demo")
    # One set of exactly the performed reps; the autopilot starts at once (the first rep sets the range).
    config = SessionConfig(sets=1, reps=reps, rest_s=10.0, warmup_reps=0)
    app = build_app(
        services,
        store,
        session_config=config,
        demo=True,
        game=game,
        audio=not fast,
        preselect=exercise,
    )
    pilot = _Autopilot(sets, shots)
    started = time.perf_counter()
    try:
        await run_app(app, clock, pilot)
    finally:
        store.close()
    wall_s = time.perf_counter() - started
    adapter = app.ctx.adapter
    return {
        "reps_performed": sets[0].truth.reps,
        "reps_counted": adapter.counted if adapter is not None else 0,
        "frames": app.frames,
        "fps": round(app.frames / wall_s, 1) if wall_s > 0 else 0.0,
        "frame_ms_p50": round(_percentile(app.frame_ms, 50), 3),
        "frame_ms_p99": round(_percentile(app.frame_ms, 99), 3),
        "screenshots": pilot.shots,
    }


def play_command(
    *, sim: str | None, seconds: float | None, data_dir: Path | None = None, plan: Path | None = None
) -> int:
    """The game: scans for pucks on the connect screen; the virtual puck follows the arrow keys.

    ``plan``: a therapist's plan to follow (read before the window opens: a bad file is one clear line).
    """
    from repquest.plan import load_plan

    loaded = load_plan(plan) if plan is not None else None
    asyncio.run(_play(sim, seconds, data_dir, loaded))
    return 0


async def _play(sim: str | None, seconds: float | None, data_dir: Path | None, plan: Plan | None) -> None:
    from repquest.ble import DeviceInfo, Transport
    from repquest.games.keyboard_puck import KeyboardLimb
    from repquest.games.runner import build_app, run_app
    from repquest.games.services import Services
    from repquest.session_command import open_store

    clock = WallClock()
    limb = KeyboardLimb()

    def source(i: int) -> Any:
        if sim is not None:
            from repquest.simulator import build_set

            return build_set(sim, 200, seed=random.randrange(1 << 31) + i)
        return limb

    async def scanner(timeout_s: float) -> list[DeviceInfo]:
        from repquest.ble.bleak_transport import scan

        return list(await scan(timeout_s))

    def real_factory(address: str) -> Any:
        from repquest.ble.bleak_transport import bleak_factory

        factory: Any = bleak_factory(address)
        return factory

    services = Services(clock, source, scanner=None if sim else scanner, real_factory=real_factory)
    services.keyboard_limb = limb if sim is None else None
    store = open_store(data_dir)
    app = build_app(services, store, plan=plan)
    _ = Transport  # the factory's type, for readers
    deadline = None if seconds is None else clock.now() + seconds

    def stop_at_deadline(a: App) -> None:
        if deadline is not None and clock.now() >= deadline:
            a.running = False

    try:
        await run_app(app, clock, stop_at_deadline)
    finally:
        store.close()
