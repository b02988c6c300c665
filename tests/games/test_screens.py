"""Every screen and mini-game, driven headless through the harness (injected input, stepped frames)."""

from pathlib import Path

import pytest

from repquest.dsp import HoldCompleted, HoldProgress, Press, RepCompleted, Step
from repquest.games.harness import Harness
from repquest.games.intents import IntentKind

GAMES = [
    ("knee_extension", "game:balloon", RepCompleted(1.0, 50.0, 2.0, 60.0, False, True)),
    ("leg_hug", "game:bridge", HoldProgress(1.0, 3.0, 10.0)),
    ("ankle_pump", "game:glider", RepCompleted(1.0, 30.0, 2.0, 60.0, False, True)),
    ("walking", "game:journey", Step(1.0)),
    ("squeeze", "game:garden", Press(1.0, 20.0, 0.7)),
]


async def test_menus_pause_settings_progress(tmp_path: Path) -> None:
    h = Harness()
    await h.step()
    assert h.scene == "profile"
    h.press(IntentKind.PAUSE)
    await h.step()
    assert h.scene == "pause"
    h.save(tmp_path / "pause.png")
    h.press(IntentKind.PAUSE)
    await h.step()
    assert h.scene == "profile"
    h.click(1100, 40)  # the pause button, on every screen
    await h.step()
    assert h.scene == "pause"
    h.choose(1)  # settings
    await h.step()
    assert h.scene == "settings"
    h.press(IntentKind.RIGHT)  # volume up
    h.press(IntentKind.MUTE)
    await h.step()
    assert h.app.ctx.settings.muted
    h.press(IntentKind.BACK)
    h.press(IntentKind.PAUSE)
    await h.step()
    assert h.scene == "profile"
    h.choose(0)  # new profile
    await h.step()
    assert h.scene == "connect"
    await h.step(10)
    h.press(IntentKind.CONFIRM)  # no puck found: the virtual one is selected
    await h.step()
    assert h.scene == "choose"
    h.choose(len(h.app.top.menu.items) - 2)  # my progress
    await h.step()
    assert h.scene == "progress"
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert h.scene == "choose"
    await h.close()


@pytest.mark.parametrize(("exercise", "scene", "event"), GAMES)
async def test_each_minigame(exercise: str, scene: str, event: object, tmp_path: Path) -> None:
    h = Harness(exercise=exercise)
    await h.to_game(exercise)
    assert h.scene == scene
    h.app.ctx.adapter.main._inbox.clear()  # type: ignore[union-attr]
    for _ in range(h.app.ctx.settings.reps_per_set):
        h.feed(event)
        await h.step(5)
    if isinstance(event, HoldProgress):
        for _ in range(h.app.ctx.settings.reps_per_set):
            h.feed(RepCompleted(1.0, 50.0, 2.0, 60.0, False, True))
            h.feed(HoldCompleted(1.0, 10.0, 0.9))
            await h.step(2)
    h.save(tmp_path / f"{exercise}.png")
    h.click(600, 300)  # a click on the game field pauses
    await h.step()
    assert h.scene == "pause"
    h.press(IntentKind.PAUSE)
    await h.step(200)  # set complete: rest (2 sets by default)
    assert h.scene == "rest"
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert h.scene == scene
    h.press(IntentKind.FINISH)
    await h.step()
    assert h.scene == "summary"
    assert h.app.ctx.tally.units == h.app.ctx.settings.reps_per_set
    await h.close()


async def test_disconnect_shows_reconnecting_then_pause() -> None:
    from repquest.games.motion import LinkState

    h = Harness()
    await h.to_game("knee_extension")
    link = h.app.ctx.adapter.main  # type: ignore[union-attr]
    link.state = LinkState(False, True, "virtual puck", attempt=1)
    h.app.ctx.adapter.main.poll = lambda: []  # type: ignore[method-assign, union-attr]
    await h.step()
    assert h.scene == "reconnecting"
    link.state = LinkState(True, False, "virtual puck")
    await h.step(2)
    assert h.scene == "pause"
    await h.close()
