"""Which scene plays which mini-game."""

from __future__ import annotations

from repquest.session_events import SetStarted

from ..scene import Context
from .game_scene import GameScene

__all__ = ["game_scene"]


def game_scene(ctx: Context, start: SetStarted) -> GameScene:
    from .balloon import BalloonScene
    from .bridge import BridgeScene
    from .garden import GardenScene
    from .glider import GliderScene
    from .journey import JourneyScene

    assert ctx.exercise is not None
    scenes: dict[str, type[GameScene]] = {
        "balloon": BalloonScene,
        "bridge": BridgeScene,
        "glider": GliderScene,
        "journey": JourneyScene,
        "garden": GardenScene,
    }
    return scenes.get(ctx.game_override or ctx.exercise.game, BalloonScene)(ctx, start)
