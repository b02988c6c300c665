"""The mini-games' rules, without a window: they consume the exercise session's events."""

import numpy as np

from repquest.games.intents import Intent, IntentKind
from repquest.games.keyboard_puck import KeyboardLimb
from repquest.games.menu import Menu, MenuItem
from repquest.games.minigames.balloon_rules import BalloonRules
from repquest.games.minigames.bridge_rules import BridgeRules
from repquest.games.minigames.garden_rules import GardenRules
from repquest.games.minigames.glider_rules import GliderRules
from repquest.games.minigames.journey_rules import JourneyRules
from repquest.games.minigames.rules_base import COACH_SLOWER, HELPER_SLOWER
from repquest.session_events import HoldDone, HoldProgress, RepCounted, TooFastCoach


def rep(too_fast: bool = False, reached: bool = True, force_n: float = 0.0) -> RepCounted:
    """A stored repetition as the session announces it (XP by the progress rules: 10 on target)."""
    xp = 10 if reached and not too_fast else 0
    return RepCounted(1, 1, 1, 5, 50.0, 40.0, reached, too_fast, 2.0, 60.0, xp, xp, force_n)


def hold_done(duration_s: float, target_s: float = 10.0) -> HoldDone:
    reached = duration_s >= target_s
    return HoldDone(1, duration_s, target_s, reached, 0.9, 15 if reached else 0)


def test_too_fast_counts_but_earns_nothing_and_coaches_slower() -> None:
    r = BalloonRules("reps", 5)
    cues = r.on_event(rep(too_fast=True))
    assert r.units == 1
    assert r.points == 0
    assert r.stars == 0
    assert [c.text for c in cues] == [COACH_SLOWER]
    assert r.lift_target == 0.0


def test_points_are_the_xp_the_session_awarded() -> None:
    full, part = BalloonRules("reps", 5), BalloonRules("reps", 5)
    full.on_event(rep())
    part.on_event(rep(reached=False))
    assert full.points == 10
    assert part.points == 0
    assert part.units == 1
    assert part.lift_target > 0  # a partial rep still lifts the balloon a little


def test_assisted_coaching_speaks_to_the_helper() -> None:
    r = BalloonRules("reps", 5, assisted=True)
    assert [c.text for c in r.on_event(rep(too_fast=True))] == [HELPER_SLOWER]


def test_coach_does_not_repeat_every_frame() -> None:
    r = BalloonRules("reps", 5)
    assert r.on_event(TooFastCoach(300.0, 200.0))
    assert not r.on_event(TooFastCoach(300.0, 200.0))
    r.update(3.5, 0.0)
    assert r.on_event(TooFastCoach(300.0, 200.0))


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
    cues = r.on_event(HoldProgress(1.0, 10.0))
    assert r.holding
    assert cues
    r.update(2.0, 0.5)
    assert r.seconds_left == 7
    r.on_event(hold_done(10.0))
    assert r.planks == 1
    assert r.points == 15
    assert not r.holding
    r.on_event(hold_done(4.0))
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
    assert not r.on_event(HoldProgress(1.0, 10.0))  # only counted strides move the walker
    cues = []
    for _ in range(8):
        cues += r.on_event(rep())
    assert r.units == 8
    assert r.landmark_behind == "the garden gate"
    assert cues


def test_garden_firm_squeeze_blooms_light_one_coaches() -> None:
    r = GardenRules("press", 5)
    r.on_event(rep(force_n=20.0))
    r.on_event(rep(force_n=3.0))
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


def test_keyboard_limb_moves_gently_and_returns() -> None:
    limb = KeyboardLimb("reps")
    limb.direction = 1
    _, gyr, _ = limb.sample(np.arange(0, 1.0, 0.01))
    assert 40 < np.median(gyr[:, 0]) < 60
    limb.direction = 0
    acc, _, _ = limb.sample(np.arange(1.0, 3.0, 0.01))
    assert abs(acc[-1, 1]) < 0.05  # back at rest
