"""Exercise sessions on the virtual puck and a virtual clock: flow, persistence before emission, controls."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from repquest.ble import PuckSession, VirtualTransport
from repquest.clock import VirtualClock
from repquest.dsp import Press, RepCompleted
from repquest.exercises import default_catalog
from repquest.progress import Store
from repquest.session import ExerciseSession, SessionConfig
from repquest.session_events import (
    Calibrated,
    Calibrating,
    HoldDone,
    Paused,
    PuckDisconnected,
    PuckReconnected,
    RepCounted,
    Resting,
    Resumed,
    SessionEvent,
    SessionStarted,
    SessionSummary,
    SetCompleted,
    SetStarted,
    StoppedForPain,
    WarmUp,
)
from repquest.simulator import VirtualPuck, build_set
from repquest.simulator.faults import Disconnect, FaultChain

Hook = Callable[[SessionEvent, ExerciseSession, VirtualClock], None]


async def run(
    store: Store,
    exercise_id: str,
    *,
    movements: int,
    config: SessionConfig,
    hook: Hook | None = None,
    faults: FaultChain | None = None,
    seed: int = 3,
) -> list[SessionEvent]:
    clock = VirtualClock()
    ex = default_catalog()[exercise_id]
    simulated = build_set(ex.engine, movements, seed=seed, rate_hz=100.0)
    transport = VirtualTransport(VirtualPuck(simulated), clock, faults=faults)
    events: list[SessionEvent] = []
    async with PuckSession(transport.factory(), clock=clock, rate_hz=100) as puck:
        session = ExerciseSession(ex, puck, store, clock=clock, rate_hz=100, config=config)
        async for event in session:
            events.append(event)
            if hook is not None:
                hook(event, session, clock)
    return events


def of(events: list[SessionEvent], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


async def test_a_whole_session_calibrates_warms_up_counts_and_stores() -> None:
    with Store(":memory:") as store:
        events = await run(store, "knee_extension", movements=10, config=SessionConfig(sets=1, reps=5))
        assert isinstance(events[0], SessionStarted)
        assert isinstance(events[-1], SessionSummary)
        kinds = [type(e) for e in events]
        assert (
            kinds.index(Calibrated) < kinds.index(WarmUp) < kinds.index(SetStarted) < kinds.index(RepCounted)
        )
        assert [c.reps_done for c in of(events, Calibrating)] == [0, 1, 2]
        reps = of(events, RepCounted)
        assert [r.rep for r in reps] == [1, 2, 3, 4, 5]
        summary = events[-1]
        assert summary.end_reason == "completed"
        assert summary.reps == 5
        (stored,) = store.history()
        assert [r["id"] for r in stored["reps"]] == [r.rep_id for r in reps]
        assert stored["end_reason"] == "completed"
        rom = of(events, Calibrated)[0].rom
        assert store.latest_calibration(1, "knee_extension") == pytest.approx(rom)
        assert all(
            r.target_rom == pytest.approx(rom * 0.8) for r in reps[:4]
        )  # targets from the person's ROM


async def test_every_rep_is_committed_before_the_game_hears_of_it(tmp_path: Path) -> None:
    seen: list[tuple[int, float]] = []

    def inspect(event: SessionEvent, session: ExerciseSession, clock: VirtualClock) -> None:
        if isinstance(event, RepCounted | HoldDone):
            other = sqlite3.connect(tmp_path / "repquest.db")  # as if the process died right now
            table, row_id = (
                ("reps", event.rep_id) if isinstance(event, RepCounted) else ("holds", event.hold_id)
            )
            row = other.execute(f"SELECT count(*) FROM {table} WHERE id = ?", (row_id,)).fetchone()
            other.close()
            seen.append((row[0], clock.now()))

    with Store.in_dir(tmp_path) as store:
        await run(store, "leg_hug", movements=9, config=SessionConfig(sets=1, reps=5), hook=inspect)
    assert len(seen) >= 5
    assert all(count == 1 for count, _ in seen)


async def test_sessions_on_the_virtual_clock_never_sleep_on_wall_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_sleep = asyncio.sleep

    async def no_wall_sleep(delay: float, result: object = None) -> object:
        assert delay <= 0, f"slept {delay} s of wall time"
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", no_wall_sleep)
    with Store(":memory:") as store:
        events = await run(store, "seated_march", movements=9, config=SessionConfig(sets=1, reps=4))
    assert events[-1].end_reason == "completed"


async def test_two_sets_with_a_rest_countdown() -> None:
    with Store(":memory:") as store:
        config = SessionConfig(sets=2, reps=3, rest_s=6.0)
        events = await run(store, "knee_extension", movements=14, config=config)
        rest = [e.seconds_left for e in of(events, Resting)]
        assert rest == [6, 5, 4, 3, 2, 1]
        assert [s.set_no for s in of(events, SetCompleted)] == [1, 2]
        kinds = [type(e) for e in events]
        assert kinds.index(Resting) > kinds.index(SetCompleted)
        assert len(of(events, RepCounted)) == 6
        assert events[-1].end_reason == "completed"


async def test_pause_stops_counting_until_resume() -> None:
    marks: dict[str, int] = {}

    def pause_at_first_rep(event: SessionEvent, session: ExerciseSession, clock: VirtualClock) -> None:
        if isinstance(event, RepCounted) and event.rep == 1:
            session.pause("phone call")

            async def later() -> None:
                await clock.sleep(25.0)
                session.resume()

            marks["task"] = id(asyncio.get_running_loop().create_task(later()))

    with Store(":memory:") as store:
        events = await run(
            store,
            "knee_extension",
            movements=16,
            config=SessionConfig(sets=1, reps=3),
            hook=pause_at_first_rep,
        )
    kinds = [type(e) for e in events]
    paused, resumed = kinds.index(Paused), kinds.index(Resumed)
    assert of(events, Paused)[0].reason == "phone call"
    assert RepCounted not in kinds[paused:resumed]
    assert len(of(events, RepCounted)) == 3
    assert events[-1].end_reason == "completed"


async def test_stop_for_pain_records_why_and_ends() -> None:
    def hurt(event: SessionEvent, session: ExerciseSession, clock: VirtualClock) -> None:
        if isinstance(event, RepCounted) and event.rep == 2:
            session.stop_for_pain("sharp pain in the knee")

    with Store(":memory:") as store:
        events = await run(
            store, "knee_extension", movements=10, config=SessionConfig(sets=1, reps=6), hook=hurt
        )
        assert of(events, StoppedForPain)[0].note == "sharp pain in the knee"
        assert events[-1].end_reason == "pain"
        assert len(of(events, RepCounted)) == 2
        (stored,) = store.history()
        assert stored["end_reason"] == "pain"
        assert stored["note"] == "sharp pain in the knee"
        assert len(stored["reps"]) == 2


async def test_holds_are_stored_and_scored() -> None:
    with Store(":memory:") as store:
        events = await run(store, "leg_hug", movements=9, config=SessionConfig(sets=1, reps=4))
        holds = of(events, HoldDone)
        assert holds
        assert len(store.history()[0]["holds"]) == len(holds)
        assert all(h.reached_target == (h.duration_s >= h.target_s) for h in holds)


async def test_squeezes_count_presses() -> None:
    with Store(":memory:") as store:
        events = await run(store, "squeeze", movements=10, config=SessionConfig(sets=1, reps=5))
        assert len(of(events, RepCounted)) == 5
        assert events[-1].end_reason == "completed"


async def test_a_dropped_link_is_reported_and_the_session_carries_on() -> None:
    faults = FaultChain([Disconnect(at_s=20.0, outage_s=3.0)])
    with Store(":memory:") as store:
        events = await run(
            store, "knee_extension", movements=12, config=SessionConfig(sets=1, reps=5), faults=faults
        )
    kinds = [type(e) for e in events]
    assert kinds.index(PuckDisconnected) < kinds.index(PuckReconnected)
    assert events[-1].end_reason == "completed"


async def test_a_person_who_stops_moving_ends_the_session_as_idle() -> None:
    with Store(":memory:") as store:
        config = SessionConfig(sets=1, reps=10, idle_timeout_s=20.0)
        events = await run(store, "knee_extension", movements=6, config=config)
        assert events[-1].end_reason == "idle"
        assert store.history()[0]["end_reason"] == "idle"


async def test_leaving_the_loop_early_closes_the_session_as_stopped() -> None:
    with Store(":memory:") as store:
        clock = VirtualClock()
        ex = default_catalog()["knee_extension"]
        transport = VirtualTransport(VirtualPuck(build_set("knee_extension", 8, seed=1)), clock)
        async with PuckSession(transport.factory(), clock=clock, rate_hz=100) as puck:
            session = ExerciseSession(ex, puck, store, clock=clock, rate_hz=100)
            events = aiter(session)
            async for event in events:
                if isinstance(event, SetStarted):
                    break
            await events.aclose()  # type: ignore[attr-defined]
        assert store.history()[0]["end_reason"] == "stopped"
        assert session.summary is not None


async def test_stored_calibration_is_reused_when_asked() -> None:
    with Store(":memory:") as store:
        await run(store, "knee_extension", movements=9, config=SessionConfig(sets=1, reps=3))
        events = await run(
            store, "knee_extension", movements=8, config=SessionConfig(sets=1, reps=3, calibration_reps=0)
        )
        assert of(events, Calibrated)[0].source == "stored"
        assert not of(events, Calibrating)


async def _step_session(store: Store, exercise_id: str, config: SessionConfig) -> ExerciseSession:
    """A session driven by hand through the step API (no puck: movement events are injected)."""

    async def nothing():  # type: ignore[no-untyped-def]
        return
        yield

    s = ExerciseSession(
        default_catalog()[exercise_id], nothing(), store, clock=VirtualClock(), rate_hz=100, config=config
    )
    s.start()
    return s


def _rep(rom: float) -> RepCompleted:
    return RepCompleted(1.0, rom, 2.0, 60.0, False, True)


async def test_passive_exercises_store_every_rep_as_assisted() -> None:
    with Store(":memory:") as store:
        s = await _step_session(store, "knee_extension_passive", SessionConfig(sets=1, reps=2, warmup_reps=0))
        s.skip_calibration()
        counted = [e for m in (_rep(40.0), _rep(40.0)) for e in s.inject(m) if isinstance(e, RepCounted)]
        assert [e.assisted for e in counted] == [True, True]
        (session,) = store.history()
        assert session["assisted"] is True
        assert [r["assisted"] for r in session["reps"]] == [True, True]
        assert s.summary is not None
        assert s.summary.assisted


async def test_skipping_calibration_lets_the_first_rep_set_the_range_and_rest_can_be_skipped() -> None:
    with Store(":memory:") as store:
        s = await _step_session(store, "knee_extension", SessionConfig(sets=2, reps=1, rest_s=30.0))
        s.skip_calibration()
        events = s.inject(_rep(50.0))
        assert of(events, Calibrated)[0].source == "first rep"
        assert of(events, Resting)
        assert s.rom == 50.0
        s.skip_rest()
        assert of(s.tick(), SetStarted)[0].set_no == 2
        pid = store.profile_id("default", "")
        assert store.calibrations(pid, "knee_extension")[0]["unit"] == "deg"


async def test_squeeze_calibrations_are_in_newtons_and_the_target_carries_over() -> None:
    with Store(":memory:") as store:
        s = await _step_session(store, "squeeze", SessionConfig(sets=1, reps=8, warmup_reps=0))
        s.inject(Press(1.0, 20.0, 0.5))
        s.inject(Press(2.0, 20.0, 0.5))
        assert s.rom == 20.0
        for k in range(8):
            s.inject(Press(3.0 + k, 30.0, 0.5))  # every squeeze easy: the target rises
        pct = s.targets.target_pct
        pid = store.profile_id("default", "")
        assert store.calibrations(pid, "squeeze")[-1]["unit"] == "N"
        again = await _step_session(store, "squeeze", SessionConfig(sets=1, reps=8))
        assert again.targets.target_pct == pct
