"""The game's side of an exercise session: pucks in, recorded movement events out.

A :class:`PuckLink` runs one :class:`~repquest.ble.PuckSession` as a task and keeps what it yields; the frame
loop calls :meth:`SessionAdapter.poll` once per frame, which feeds the new sample blocks through each puck's
:class:`~repquest.dsp.MovementEngine`, **writes every counted repetition to the store before** handing the
event to the game (so nothing is celebrated that is not on disk), and sends haptic and light cues back to the
puck. Scenes only ever see :class:`~repquest.games.motion.MotionFrame` values.

This is the seam where ``repquest.session`` plugs in: the game depends only on ``begin / calibrate / poll /
finish`` and the counters below.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from repquest import firmware_protocol as fp
from repquest.ble import (
    BatteryLow,
    Connected,
    Disconnected,
    PuckSession,
    Reconnecting,
    SessionItem,
    StatusChanged,
    TimedBlock,
    Transport,
)
from repquest.clock import Clock
from repquest.dsp import Event, HoldCompleted, HoldProgress, MovementEngine, Press, RepCompleted, Step
from repquest.errors import RepQuestError

from .motion import LinkState, MotionFrame
from .store import GameStore, xp_for_rep

__all__ = ["PuckLink", "SessionAdapter"]

Factory = Callable[[], Awaitable[Transport]]


class PuckLink:
    """One puck: its PuckSession (run by :meth:`run`), its movement engine and its link state."""

    def __init__(self, factory: Factory, clock: Clock, *, rate_hz: int = 100, label: str = "puck") -> None:
        self.session = PuckSession(factory, clock=clock, rate_hz=rate_hz)
        self.clock = clock
        self.rate_hz = rate_hz
        self.state = LinkState(label=label)
        self.engine: MovementEngine | None = None
        self.error: str | None = None
        self._inbox: deque[SessionItem] = deque()
        self._sends: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        """Stream until the session ends; a failure is kept in ``error`` for the connect screen to show."""
        try:
            async with self.session:
                async for item in self.session:
                    self._inbox.append(item)
        except RepQuestError as exc:
            self.error = str(exc)
            self.state = LinkState(label=self.state.label, gave_up=True)

    def start_exercise(self, exercise: str, calibrated_rom_deg: float | None = None) -> None:
        self.engine = MovementEngine(exercise, self.rate_hz, calibrated_rom_deg)

    def poll(self) -> list[Event]:
        """Feed what arrived since the last call through the engine; returns its events."""
        events: list[Event] = []
        st = self.state
        while self._inbox:
            item = self._inbox.popleft()
            if isinstance(item, TimedBlock):
                if self.engine is not None:
                    b = item.block
                    events.extend(self.engine.feed(item.host_t_s, b.acc_g, b.gyr_dps, b.force_n))
            elif isinstance(item, Connected):
                st = LinkState(True, False, item.device.name, st.battery_pct)
            elif isinstance(item, Disconnected):
                st = LinkState(False, not item.final, st.label, st.battery_pct, gave_up=item.final)
            elif isinstance(item, Reconnecting):
                st = LinkState(False, True, st.label, st.battery_pct, item.attempt)
            elif isinstance(item, StatusChanged):
                low = item.status.battery_pct < 15
                st = LinkState(
                    st.connected, st.reconnecting, st.label, item.status.battery_pct, st.attempt, low
                )
            elif isinstance(item, BatteryLow):
                st = LinkState(st.connected, st.reconnecting, st.label, item.battery_pct, st.attempt, True)
        self.state = st
        return events

    def send(self, command: bytes) -> None:
        """Fire-and-forget a command to the puck; a dropped link just loses the cue."""
        if not self.state.connected:
            return

        async def go() -> None:
            with contextlib.suppress(RepQuestError, TimeoutError):
                await self.session.send(command)

        task = asyncio.get_running_loop().create_task(go())
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def close(self) -> None:
        await self.session.close()


def _rep_record(ev: Event) -> dict[str, Any]:
    if isinstance(ev, RepCompleted):
        return {
            "t_s": ev.t_s,
            "rom_deg": round(ev.rom_deg, 2),
            "duration_s": round(ev.duration_s, 3),
            "peak_speed_dps": round(ev.peak_speed_dps, 1),
            "too_fast": ev.too_fast,
            "reached_target": ev.reached_target,
        }
    if isinstance(ev, Press):
        return {
            "t_s": ev.t_s,
            "peak_force_n": round(ev.peak_force_n, 2),
            "duration_s": round(ev.duration_s, 3),
        }
    return {"t_s": ev.t_s}


class SessionAdapter:
    """The exercise session as the game sees it, over one or more pucks (the first one counts).

    Args:
        links: the pucks; ``links[0]`` is the one the exercise counts.
        store: where every repetition is written before the game hears of it.
        profile: whose session this is.
    """

    def __init__(self, links: list[PuckLink], store: GameStore, profile: str) -> None:
        self.links = links
        self.store = store
        self.profile = profile
        self.exercise: str | None = None
        self.kind = "reps"
        self.session_id: int | None = None
        self.recording = False
        self.counted = 0  # units recorded in this session (all sets)
        self.xp = 0
        self.haptics = True
        self._holding = False
        self._injected: list[Event] = []

    def inject(self, ev: Event) -> None:
        """Hand the game an event as if the engine had found it (the harness uses this)."""
        self._injected.append(ev)

    @property
    def main(self) -> PuckLink:
        return self.links[0]

    def begin(self, exercise: str, calibrated_rom_deg: float | None = None) -> None:
        """Start counting ``exercise`` (the engines start afresh)."""
        self.exercise = exercise
        for link in self.links:
            link.start_exercise(exercise, calibrated_rom_deg)
        engine = self.main.engine
        assert engine is not None
        self.kind = engine.profile.kind

    def calibrate(self, rom_deg: float) -> None:
        for link in self.links:
            if link.engine is not None:
                link.engine.reps.calibrated_rom_deg = rom_deg

    def start_recording(self) -> None:
        if self.session_id is None:
            assert self.exercise is not None
            self.session_id = self.store.start_session(self.profile, self.exercise)
        self.recording = True

    def stop_recording(self) -> None:
        self.recording = False

    def finish(self) -> None:
        if self.session_id is not None:
            self.store.end_session(self.session_id)
        self.recording = False

    def _is_unit(self, ev: Event) -> bool:
        if self.kind == "gait":
            return isinstance(ev, Step)
        if self.kind == "press":
            return isinstance(ev, Press)
        return isinstance(ev, RepCompleted)

    def _record(self, ev: Event) -> None:
        sid = self.session_id
        if sid is None:
            return
        if self._is_unit(ev):
            xp = xp_for_rep(getattr(ev, "reached_target", True), getattr(ev, "too_fast", False))
            self.store.record_rep(sid, _rep_record(ev), xp)
            self.counted += 1
            self.xp += xp
        elif isinstance(ev, HoldCompleted):
            xp = 20 if ev.duration_s >= 8.0 else 5
            hold = {
                "t_s": ev.t_s,
                "duration_s": round(ev.duration_s, 2),
                "steadiness": round(ev.steadiness, 3),
            }
            self.store.record_hold(sid, hold, xp)
            self.xp += xp

    def _cue(self, ev: Event) -> None:
        hold_started = isinstance(ev, HoldProgress) and not self._holding
        if isinstance(ev, HoldProgress | HoldCompleted):
            self._holding = isinstance(ev, HoldProgress)
        if not self.haptics:
            return
        link = self.main
        if self._is_unit(ev) and not getattr(ev, "too_fast", False):
            link.send(fp.vibrate(40, 120, 1))
            link.send(fp.set_led(0, 160, 60))
        elif isinstance(ev, HoldProgress) and hold_started:
            link.send(fp.vibrate(30, 80, 1))
            link.send(fp.set_led(0, 90, 200, fp.LedPattern.PULSE, 1000))
        elif isinstance(ev, HoldCompleted):
            link.send(fp.vibrate(60, 150, 2))
            link.send(fp.set_led(0, 160, 60))

    def poll(self) -> MotionFrame:
        """This frame's motion; counted units are already in the store when this returns."""
        events = self.main.poll()
        if self._injected:
            events.extend(self._injected)
            self._injected.clear()
        for other in self.links[1:]:
            other.poll()
        for ev in events:
            if self.recording:
                self._record(ev)
            self._cue(ev)
        progress = tuple(link.engine.progress if link.engine else 0.0 for link in self.links)
        engine = self.main.engine
        return MotionFrame(
            events=events,
            progress=progress,
            angle_deg=engine.angle_deg if engine else 0.0,
            link=self.main.state,
            samples=engine.samples if engine else 0,
        )

    async def close(self) -> None:
        for link in self.links:
            await link.close()
