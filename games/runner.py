"""Build and run the app on the running asyncio loop (used by ``repquest play``, the demo and the harness)."""

from __future__ import annotations

from collections.abc import Callable

from repquest.clock import Clock
from repquest.exercises import Catalog, default_catalog
from repquest.plan import Plan
from repquest.progress import Store
from repquest.session import SessionConfig

from .app import App, open_window
from .assets import Assets
from .scene import Context, Settings
from .scenes.profile import ProfileScene
from .services import Services

__all__ = ["GAME_IDLE_TIMEOUT_S", "build_app", "run_app"]

GAME_IDLE_TIMEOUT_S = 600.0


def build_app(
    services: Services,
    store: Store,
    *,
    catalog: Catalog | None = None,
    plan: Plan | None = None,
    session_config: SessionConfig | None = None,
    settings: Settings | None = None,
    demo: bool = False,
    game: str | None = None,
    audio: bool = True,
    preselect: str | None = None,
) -> App:
    """Open the window, load the assets, and put the profile screen up.

    ``plan``: the therapist's plan (its catalog, exercises, doses and notes); ``session_config``: dose
    overrides for every session (the demo's).
    """
    settings = settings or Settings()
    screen = open_window(settings.fullscreen)
    assets = Assets(audio=audio)
    catalog = plan.catalog if plan is not None else (catalog or default_catalog())
    # A person reading the screen is not idle: the game waits longer than the windowless session does.
    session_config = session_config or SessionConfig(idle_timeout_s=GAME_IDLE_TIMEOUT_S)
    ctx = Context(
        assets,
        services,
        store,
        catalog,
        settings,
        plan=plan,
        session_config=session_config,
        profile=plan.profile if plan is not None else None,
        demo=demo,
        game_override=game,
        preselect=preselect,
    )
    return App(ctx, ProfileScene(ctx), screen)


async def run_app(app: App, clock: Clock, on_frame: Callable[[App], None] | None = None) -> None:
    """Frames until the app quits; then the pucks are let go."""
    app.on_frame = on_frame
    try:
        await app.run(clock.now, clock.sleep)
    finally:
        if app.ctx.adapter is not None:
            await app.ctx.adapter.close()
        await app.ctx.services.close()
