"""Every screen and mini-game, driven headless through the harness (injected input, stepped frames), on the
real exercise session and progress store."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.dsp import Event, HoldCompleted, HoldProgress, Press, RepCompleted
from repquest.games.harness import Harness
from repquest.games.intents import IntentKind
from repquest.games.motion import MotionFrame
from repquest.plan import parse_plan
from repquest.progress import Store
from repquest.session import SessionConfig
from repquest.session_events import RepCounted


def _rep(rom: float = 50.0) -> RepCompleted:
    return RepCompleted(1.0, rom, 2.0, 60.0, False, True)


def _hold_then_rep() -> list[Event]:
    return [HoldProgress(1.0, 3.0, 10.0), HoldCompleted(1.0, 16.0, 0.9), _rep()]


GAMES: list[tuple[str, str, list[Event]]] = [
    ("knee_extension", "game:balloon", [_rep()]),
    ("leg_hug", "game:bridge", _hold_then_rep()),
    ("ankle_pump", "game:glider", [_rep(30.0)]),
    ("walking", "game:journey", [_rep(20.0)]),
    ("squeeze", "game:garden", [Press(1.0, 20.0, 0.7)]),
]


def _watch_commits(h: Harness) -> list[int]:
    """Check, every frame, that each RepCounted the game receives is already in the store."""
    adapter = h.app.ctx.adapter
    assert adapter is not None
    seen: list[int] = []
    poll = adapter.poll

    def checked() -> MotionFrame:
        frame = poll()
        for ev in frame.events:
            if isinstance(ev, RepCounted):
                stored = h.store.session(adapter.session.session_id if adapter.session else 0)
                assert stored is not None
                assert ev.rep_id in {r["id"] for r in stored["reps"]}
                seen.append(ev.rep_id)
        return frame

    adapter.poll = checked  # type: ignore[method-assign]
    return seen


async def _feed(h: Harness, events: list[Event], times: int) -> None:
    for _ in range(times):
        for ev in events:
            h.feed(ev)
        await h.step(5)


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
    h.choose(1)  # settings (no session yet: no pain stop or end items)
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
    assert h.store.profiles() == ["Player 1"]
    assert h.store.setting("active_profile") == "Player 1"
    await h.step(10)
    h.press(IntentKind.CONFIRM)  # no puck found: the virtual one is selected
    await h.step()
    assert h.scene == "choose"
    h.app.top.menu.select_key("progress")  # type: ignore[attr-defined]
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert h.scene == "progress"
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert h.scene == "choose"
    await h.close()


@pytest.mark.parametrize(("exercise", "scene", "events"), GAMES)
async def test_each_minigame_runs_on_the_session_and_store(
    exercise: str, scene: str, events: list[Event], tmp_path: Path
) -> None:
    h = Harness(exercise=exercise)  # 2 sets of 3, 5 s rest
    h.app.ctx.demo = exercise == "walking"  # walking is still locked for a new profile: offer it anyway
    await h.to_game(exercise)
    assert h.scene == scene
    h.app.ctx.adapter.main._inbox.clear()  # type: ignore[union-attr]
    committed = _watch_commits(h)
    await _feed(h, events, 3)
    h.save(tmp_path / f"{exercise}.png")
    await h.step(200)  # set complete: the session rests
    assert h.scene == "rest"
    h.press(IntentKind.CONFIRM)  # ready now
    await h.step(2)
    assert h.scene == scene
    h.click(600, 300)  # a click on the game field pauses, and so does the session
    await h.step()
    assert h.scene == "pause"
    assert h.app.ctx.adapter is not None
    assert h.app.ctx.adapter.session is not None
    assert h.app.ctx.adapter.session.paused
    h.press(IntentKind.PAUSE)
    await h.step()
    await _feed(h, events, 3)
    await h.step(200)
    assert h.scene == "summary"
    assert len(committed) == 6
    (session,) = h.store.history()
    assert len(session["reps"]) == 6
    assert session["end_reason"] == "completed"
    if exercise == "leg_hug":
        assert len(session["holds"]) == 6
    await h.close()


async def test_finish_ends_the_session_and_the_summary_reads_the_store() -> None:
    h = Harness(exercise="knee_extension")
    await h.to_game("knee_extension")
    await _feed(h, [_rep()], 2)
    h.press(IntentKind.FINISH)
    await h.step()
    assert h.scene == "summary"
    summary = h.app.ctx.adapter.summary  # type: ignore[union-attr]
    assert summary is not None
    assert summary.reps == 2
    assert summary.end_reason == "stopped"
    assert h.app.top.record["reps"][0]["rom_deg"] == 50.0  # type: ignore[attr-defined]
    await h.close()


async def test_stop_for_pain_records_the_note() -> None:
    h = Harness(exercise="knee_extension")
    await h.to_game("knee_extension")
    await _feed(h, [_rep()], 1)
    h.press(IntentKind.PAUSE)
    await h.step()
    assert h.scene == "pause"
    h.app.top.menu.select_key("pain")  # type: ignore[attr-defined]
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert h.scene == "pain"
    h.choose(0)
    await h.step()
    assert h.scene == "summary"
    (session,) = h.store.history()
    assert session["end_reason"] == "pain"
    assert session["note"] == "Pain in the joint I was moving"
    await h.close()


async def test_calibration_screen_uses_the_session_calibration() -> None:
    h = Harness(exercise="knee_extension", session_config=SessionConfig(sets=1, reps=2, warmup_reps=1))
    await h.step()
    h.choose(len(h.app.top.menu.items) - 1)  # type: ignore[attr-defined]
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    assert h.scene == "calibrate"
    await _feed(h, [_rep(40.0)], 1)
    assert h.app.top.done == 1  # type: ignore[attr-defined]
    await _feed(h, [_rep(60.0)], 1)
    assert h.app.top.rom == 50.0  # type: ignore[attr-defined]
    assert h.scene == "calibrate"  # warm-up next
    await _feed(h, [_rep(50.0)], 1)
    assert h.scene == "game:balloon"
    pid = h.store.profile_id("Player 1", "")
    assert h.store.latest_calibration(pid, "knee_extension") == 50.0
    await h.close()


async def test_choose_offers_only_unlocked_exercises() -> None:
    store = Store(":memory:")
    h = Harness(store=store)
    await h.step()
    h.choose(0)
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    shown = {ex.id for ex in h.app.top.all_options}  # type: ignore[attr-defined]
    assert "leg_hug" in shown
    assert "leg_hug_passive" in shown
    assert "leg_hug_both" not in shown  # needs leg hug level 3
    store.set_level(store.profile_id("Player 1", ""), "leg_hug", 3, "test", "2026-01-01")
    from repquest.games.scenes.choose import ChooseScene

    assert "leg_hug_both" in {ex.id for ex in ChooseScene(h.app.ctx).all_options}
    h.app.top.menu.select_key("helper")  # type: ignore[attr-defined]
    h.press(IntentKind.CONFIRM)
    await h.step()
    assert all(ex.passive for ex in h.app.top.options)  # type: ignore[attr-defined]
    await h.close()


async def test_assisted_exercise_marks_reps_and_speaks_to_the_helper(tmp_path: Path) -> None:
    h = Harness(exercise="knee_extension_passive")
    await h.to_game("knee_extension_passive")
    assert h.scene == "game:balloon"
    await _feed(h, [_rep()], 1)
    h.feed(RepCompleted(1.0, 50.0, 0.5, 400.0, True, True))  # too fast
    await h.step(5)
    assert h.app.top.cue is not None  # type: ignore[attr-defined]
    assert h.app.top.cue.text.startswith("Helper")  # type: ignore[attr-defined]
    h.save(tmp_path / "assisted.png")
    (session,) = h.store.history()
    assert session["assisted"] is True
    assert all(r["assisted"] for r in session["reps"])
    await h.close()


async def test_a_plan_chooses_the_exercises_dose_and_notes() -> None:
    plan = parse_plan(
        '[plan]\nnote = "Gentle week"\n\n[[exercise]]\nid = "knee_extension"\nreps = 2\nsets = 1\n'
        'note = "Cushion under the knee"\n\n[[exercise]]\nid = "ankle_pump"\n'
    )
    h = Harness(exercise="knee_extension", plan=plan, session_config=SessionConfig(warmup_reps=0))
    await h.step()
    h.choose(len(h.app.top.menu.items) - 1)  # type: ignore[attr-defined]
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    assert [ex.id for ex in h.app.top.options] == ["knee_extension", "ankle_pump"]  # type: ignore[attr-defined]
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    assert h.app.top.start.target_reps == 2  # type: ignore[attr-defined]
    assert h.app.top.start.sets == 1  # type: ignore[attr-defined]
    await h.close()


async def test_disconnect_shows_reconnecting_then_pause() -> None:
    from repquest.games.motion import LinkState

    h = Harness()
    await h.to_game("knee_extension")
    link = h.app.ctx.adapter.main  # type: ignore[union-attr]
    link.state = LinkState(False, True, "virtual puck", attempt=1)
    link.drain = lambda: []  # type: ignore[method-assign]
    await h.step()
    assert h.scene == "reconnecting"
    link.state = LinkState(True, False, "virtual puck")
    await h.step(2)
    assert h.scene == "pause"
    assert h.app.ctx.adapter.session.paused  # type: ignore[union-attr]
    await h.close()
