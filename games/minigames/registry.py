"""Which scene plays which mini-game."""

from __future__ import annotations

from ..scene import Context
from .game_scene import GameScene

__all__ = ["game_scene"]


def game_scene(ctx: Context, set_no: int) -> GameScene:
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
    return scenes.get(ctx.game_override or ctx.exercise.game, BalloonScene)(ctx, set_no)
