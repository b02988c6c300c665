"""The session follows the therapist's level cap: the dose comes from at most the capped level, and a level-up
earned past the cap is held back, logged against the session and reported in its summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from repquest.ble import PuckSession, VirtualTransport
from repquest.cli import main
from repquest.clock import VirtualClock
from repquest.exercises import default_catalog
from repquest.progress import CAPPED, Rules, Store, dose_for_level
from repquest.session import ExerciseSession, SessionConfig
from repquest.session_events import SessionEvent, SessionSummary
from repquest.simulator import VirtualPuck, build_set

EASY = Rules(sessions_to_level_up=1, good_rate=0.0)  # every finished session earns a level-up


async def _session(store: Store, config: SessionConfig) -> list[SessionEvent]:
    clock = VirtualClock()
    ex = default_catalog()["knee_extension"]
    transport = VirtualTransport(VirtualPuck(build_set(ex.engine, 10, seed=5, rate_hz=100.0)), clock)
    async with PuckSession(transport.factory(), clock=clock, rate_hz=100) as puck:
        session = ExerciseSession(ex, puck, store, clock=clock, rate_hz=100, config=config, rules=EASY)
        return [e async for e in session]


async def test_a_capped_session_doses_at_the_cap_and_logs_the_held_back_level_up() -> None:
    with Store(":memory:") as store:
        pid = store.profile_id("ann", "2025-03-01T00:00:00")
        store.set_level(pid, "knee_extension", 4, "before the plan", "2025-03-01T00:00:00")
        config = SessionConfig(profile="ann", max_level=2, sets=1, reps=3)
        ex = default_catalog()["knee_extension"]
        probe = ExerciseSession(ex, _empty(), store, clock=VirtualClock(), rate_hz=100, config=config)
        assert probe.level == 2
        assert probe.targets.hold_s == dose_for_level(ex, 2).hold_s
        summary = (await _session(store, config))[-1]
        assert isinstance(summary, SessionSummary)
        assert summary.level == 2
        assert summary.level_reason.startswith(CAPPED)
        (held,) = [a for a in store.adjustments(pid) if a["what"] == "level"]
        assert held["session_id"] == summary.session_id
        assert store.level(pid, "knee_extension") == 4


async def test_under_the_cap_the_level_still_goes_up() -> None:
    with Store(":memory:") as store:
        summary = (await _session(store, SessionConfig(profile="ann", max_level=2, sets=1, reps=3)))[-1]
        assert isinstance(summary, SessionSummary)
        assert summary.level == 2
        assert not summary.level_reason.startswith(CAPPED)


async def _empty():  # type: ignore[no-untyped-def]
    return
    yield


def test_session_sim_follows_a_plan_profile_dose_and_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[plan]\nprofile = "Ann"\nmax_level = 2\n\n[[exercise]]\nid = "knee_extension"\nreps = 3\nsets = 1\n',
        encoding="utf-8",
    )
    with Store.in_dir(tmp_path) as store:
        pid = store.profile_id("Ann", "2025-03-01T00:00:00")
        store.set_level(pid, "knee_extension", 4, "before the plan", "2025-03-01T00:00:00")
    args = [
        "session",
        "--exercise",
        "knee_extension",
        "--sim",
        "--plan",
        str(plan),
        "--data-dir",
        str(tmp_path),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "set 1 of 1: 3 reps" in out
    assert sum(line.startswith("rep ") for line in out.splitlines()) == 3
    assert ", level 2, overall level" in out  # level 4 is kept, but the plan caps the session at 2
    with Store.in_dir(tmp_path) as store:
        assert [s["profile"] for s in store.history()] == ["Ann"]
