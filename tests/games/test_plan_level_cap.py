"""The game follows the plan: its person is preselected, and the session it starts carries the level cap of the
chosen exercise."""

from __future__ import annotations

from repquest.games.harness import Harness
from repquest.games.intents import IntentKind
from repquest.plan import parse_plan
from repquest.progress import Store
from repquest.session import SessionConfig


async def test_the_game_session_carries_the_plans_level_cap() -> None:
    plan = parse_plan(
        '[plan]\nprofile = "Ann"\nmax_level = 4\n\n[[exercise]]\nid = "knee_extension"\nreps = 2\nsets = 1\n'
        'max_level = 2\n\n[[exercise]]\nid = "ankle_pump"\n'
    )
    store = Store(":memory:")
    store.profile_id("Bob", "2025-03-01T00:00:00")
    pid = store.profile_id("Ann", "2025-03-01T00:00:00")
    store.set_level(pid, "knee_extension", 5, "before the plan", "2025-03-01T00:00:00")
    h = Harness(
        exercise="knee_extension", plan=plan, store=store, session_config=SessionConfig(warmup_reps=0)
    )
    await h.step()
    assert h.app.top.menu.items[h.app.top.menu.selected].key == "p:Ann"  # type: ignore[attr-defined]
    h.press(IntentKind.CONFIRM)  # the plan's person, preselected
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    h.press(IntentKind.CONFIRM)
    await h.step(2)
    session = h.app.ctx.adapter.session  # type: ignore[union-attr]
    assert session is not None
    assert session.config.max_level == 2
    assert session.level == 2  # level 5 is kept in the store, but the plan caps the dose at level 2
    assert h.app.ctx.profile == "Ann"
    await h.close()


async def test_the_plans_person_is_listed_and_preselected_among_many() -> None:
    store = Store(":memory:")
    for n in range(8):
        store.profile_id(f"Person {n}", "2025-03-01T00:00:00")
    store.profile_id("Ann", "2025-03-01T00:00:00")
    plan = parse_plan('[plan]\nprofile = "Ann"\n\n[[exercise]]\nid = "knee_extension"\n')
    h = Harness(exercise="knee_extension", plan=plan, store=store)
    await h.step()
    menu = h.app.top.menu  # type: ignore[attr-defined]
    assert menu.items[menu.selected].key == "p:Ann"
    assert len(menu.items) == 7  # six people and "New profile"
    await h.close()
