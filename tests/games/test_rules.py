"""The mini-games' rules, without a window."""

import numpy as np

from repquest.dsp import HoldCompleted, HoldProgress, Press, RepCompleted, Step, TooFast
from repquest.games.intents import Intent, IntentKind
from repquest.games.keyboard_puck import KeyboardLimb
from repquest.games.menu import Menu, MenuItem
from repquest.games.minigames.balloon_rules import BalloonRules
from repquest.games.minigames.bridge_rules import BridgeRules
from repquest.games.minigames.garden_rules import GardenRules
from repquest.games.minigames.glider_rules import GliderRules
from repquest.games.minigames.journey_rules import JourneyRules
from repquest.games.minigames.rules_base import COACH_SLOWER
from repquest.games.store import GameStore, level_for_xp, xp_for_rep


def rep(too_fast: bool = False, reached: bool = True) -> RepCompleted:
    return RepCompleted(1.0, 50.0, 2.0, 60.0, too_fast, reached)


def test_too_fast_counts_but_earns_nothing_and_coaches_slower() -> None:
    r = BalloonRules("reps", 5)
    cues = r.on_event(rep(too_fast=True))
    assert r.units == 1
    assert r.points == 0
    assert r.stars == 0
    assert [c.text for c in cues] == [COACH_SLOWER]
    assert r.lift_target == 0.0


def test_complete_reps_earn_more_than_partial_ones() -> None:
    full, part = BalloonRules("reps", 5), BalloonRules("reps", 5)
    full.on_event(rep())
    part.on_event(rep(reached=False))
    assert full.points > part.points > 0


def test_coach_does_not_repeat_every_frame() -> None:
    r = BalloonRules("reps", 5)
    assert r.on_event(TooFast(0.0, 300.0, 200.0))
    assert not r.on_event(TooFast(0.1, 300.0, 200.0))
    r.update(3.5, 0.0)
    assert r.on_event(TooFast(4.0, 300.0, 200.0))


def test_balloon_reaches_the_top_after_the_set() -> None:
    r = BalloonRules("reps", 3)
    for _ in range(3):
        r.on_event(rep())
    for _ in range(600):
        r.update(1 / 60, 0.0)
    assert r.done
    assert r.height == 1.0


def test_bridge_hold_timer_and_planks() -> None:
    r = BridgeRules("hold", 5, hold_target_s=10.0)
    cues = r.on_event(HoldProgress(1.0, 1.0, 10.0))
    assert r.holding
    assert cues
    r.update(2.0, 0.5)
    assert r.seconds_left == 7
    r.on_event(HoldCompleted(1.0, 10.0, 0.9))
    assert r.planks == 1
    assert not r.holding
    r.on_event(HoldCompleted(20.0, 4.0, 0.9))
    assert r.planks == 1
    assert r.holds == 2


def test_glider_catches_rings_at_the_right_height() -> None:
    r = GliderRules("reps", 5)
    first = r.rings[0]
    for _ in range(2000):
        r.update(1 / 60, first.height)
        if first.state != "ahead":
            break
    assert first.state == "caught"
    assert r.caught == 1
    assert r.take_cues()
    r2 = GliderRules("reps", 5)
    for _ in range(2000):
        r2.update(1 / 60, 1.0 - r2.rings[0].height if r2.rings[0].height < 0.4 else 0.0)
        if r2.rings[0].state != "ahead":
            break
    assert r2.caught == 0


def test_journey_counts_steps_and_landmarks() -> None:
    r = JourneyRules("gait", 20)
    assert not r.on_event(rep())  # reps are not steps
    cues = []
    for i in range(8):
        cues += r.on_event(Step(float(i)))
    assert r.units == 8
    assert r.landmark_behind == "the garden gate"
    assert cues


def test_garden_firm_squeeze_blooms_light_one_coaches() -> None:
    r = GardenRules("press", 5)
    r.on_event(Press(1.0, 20.0, 0.8))
    r.on_event(Press(2.0, 3.0, 0.8))
    assert r.growth[0] == 1.0
    assert r.growth[1] == 0.5
    assert r.good == 1
    assert r.units == 2


def test_menu_one_key_one_click() -> None:
    m = Menu([MenuItem("a", "A"), MenuItem("b", "B")])
    assert m.handle(Intent(IntentKind.CHOOSE, index=1)) == "b"
    x, y, _w, _h = m.rects[0]
    assert m.handle(Intent(IntentKind.CLICK, pos=(x + 5, y + 5))) == "a"
    m.handle(Intent(IntentKind.DOWN))
    assert m.handle(Intent(IntentKind.CONFIRM)) == "b"


def test_store_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "g.jsonl"
    s = GameStore(path)
    s.add_profile("Ann")
    sid = s.start_session("Ann", "knee_extension")
    s.record_rep(sid, {"rom_deg": 40.0}, xp_for_rep(True, False))
    s.close()
    again = GameStore(path)
    assert again.profiles == ["Ann"]
    assert again.xp("Ann") == 10
    assert again.rom_over_time("Ann", "knee_extension") == [40.0]
    assert again.reps_per_day("Ann", 3)[-1] == 1
    again.close()
    assert level_for_xp(0) == 1
    assert level_for_xp(300) == 2
    assert xp_for_rep(True, True) == 0


def test_keyboard_limb_moves_gently_and_returns() -> None:
    limb = KeyboardLimb("reps")
    limb.direction = 1
    _, gyr, _ = limb.sample(np.arange(0, 1.0, 0.01))
    assert 40 < np.median(gyr[:, 0]) < 60
    limb.direction = 0
    acc, _, _ = limb.sample(np.arange(1.0, 3.0, 0.01))
    assert abs(acc[-1, 1]) < 0.05  # back at rest
