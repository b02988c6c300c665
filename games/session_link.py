"""The game's side of an exercise session: pucks in, :mod:`repquest.session` events out.

A :class:`PuckLink` runs one :class:`~repquest.ble.PuckSession` as a task and keeps what it yields. Once per
frame :meth:`GameSession.poll` hands the new items to the :class:`~repquest.session.ExerciseSession` (step
API: ``feed`` then ``tick``), which scores each repetition and **commits it to the progress store before** it
returns the :class:`~repquest.session_events.RepCounted` the game celebrates. Haptic and light cues go back to
the puck. Scenes only ever see :class:`~repquest.games.motion.MotionFrame` values.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

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
from repquest.dsp import Event, MovementEngine
from repquest.errors import RepQuestError
from repquest.exercises import Catalog, Exercise
from repquest.progress import Store
from repquest.session import ExerciseSession, SessionConfig
from repquest.session_events import (
    HoldDone,
    HoldProgress,
    RepCounted,
    SessionEvent,
    SessionSummary,
)

from .motion import LinkState, MotionFrame

__all__ = ["Factory", "GameSession", "PuckLink"]

Factory = Callable[[], Awaitable[Transport]]


class PuckLink:
    """One puck: its PuckSession (run by :meth:`run`), the items it yielded and its link state."""

    def __init__(self, factory: Factory, clock: Clock, *, rate_hz: int = 100, label: str = "puck") -> None:
        self.session = PuckSession(factory, clock=clock, rate_hz=rate_hz)
        self.clock = clock
        self.rate_hz = rate_hz
        self.state = LinkState(label=label)
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

    def drain(self) -> list[SessionItem]:
        """Everything that arrived since the last call, in order; the link state follows it."""
        items = list(self._inbox)
        self._inbox.clear()
        st = self.state
        for item in items:
            if isinstance(item, Connected):
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
        return items

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


async def _nothing() -> AsyncIterator[SessionItem]:
    """The session's own source is unused: the frame loop feeds it (step API)."""
    return
    yield  # pragma: no cover


class GameSession:
    """The exercise session as the game sees it, over one or more pucks (the first one counts).

    Args:
        links: the pucks; ``links[0]`` drives the exercise, others only stream (load tests, second limb).
        store: the progress store every repetition is committed to before the game hears of it.
        profile: whose session this is.
        catalog: where exercises and their prerequisites come from (a therapist's plan may extend it).
    """

    def __init__(
        self, links: list[PuckLink], store: Store, profile: str, catalog: Catalog, clock: Clock, rate_hz: int
    ) -> None:
        self.links = links
        self.store = store
        self.profile = profile
        self.catalog = catalog
        self.clock = clock
        self.rate_hz = rate_hz
        self.session: ExerciseSession | None = None
        self.counted = 0  # repetitions announced to the game (every one already in the store)
        self.haptics = True
        self._pending: list[SessionEvent] = []
        self._others: list[MovementEngine | None] = [None] * len(links)
        self._holding = False

    @property
    def main(self) -> PuckLink:
        return self.links[0]

    @property
    def running(self) -> bool:
        return self.session is not None and self.session.summary is None

    @property
    def summary(self) -> SessionSummary | None:
        return None if self.session is None else self.session.summary

    def begin(self, exercise: Exercise, config: SessionConfig) -> None:
        """Open a new session of ``exercise`` (the previous one, if still running, is stopped)."""
        self.stop()
        self.session = ExerciseSession(
            exercise,
            _nothing(),
            self.store,
            clock=self.clock,
            rate_hz=self.rate_hz,
            config=config,
            catalog=self.catalog,
        )
        self._others = [None] + [
            MovementEngine(exercise.engine_settings, self.rate_hz) for _ in self.links[1:]
        ]
        self._pending = self.session.start()

    # Controls: each one's events arrive with the next poll.
    def _do(self, action: Callable[[ExerciseSession], object]) -> None:
        if self.session is not None and self.session.summary is None:
            action(self.session)
            self._pending.extend(self.session.tick())

    def pause(self) -> None:
        self._do(lambda s: s.pause("paused"))

    def resume(self) -> None:
        self._do(lambda s: s.resume())

    def stop(self) -> None:
        self._do(lambda s: s.stop())

    def stop_for_pain(self, note: str) -> None:
        self._do(lambda s: s.stop_for_pain(note))

    def skip_calibration(self) -> None:
        self._do(lambda s: s.skip_calibration())

    def skip_rest(self) -> None:
        self._do(lambda s: s.skip_rest())

    def inject(self, ev: Event) -> None:
        """Hand the session a movement event as if the engine had found it (the harness uses this)."""
        if self.session is not None:
            self._pending.extend(self.session.inject(ev))

    # The frame.
    def poll(self) -> MotionFrame:
        """This frame's session events; every RepCounted/HoldDone in it is already committed."""
        events, self._pending = self._pending, []
        s = self.session
        for item in self.main.drain():
            if s is not None and s.summary is None:
                events.extend(s.feed(item))
        if s is not None and s.summary is None:
            events.extend(s.tick())
        progress = [s.progress if s is not None else 0.0]
        for link, engine in zip(self.links[1:], self._others[1:], strict=True):
            for item in link.drain():
                if engine is not None and isinstance(item, TimedBlock):
                    engine.feed_block(item.host_t_s, item.block)
            progress.append(engine.progress if engine is not None else 0.0)
        for ev in events:
            self.counted += isinstance(ev, RepCounted)
            self._cue(ev)
        return MotionFrame(
            events=events,
            progress=tuple(progress),
            angle_deg=s.angle_deg if s is not None else 0.0,
            link=self.main.state,
        )

    def _cue(self, ev: SessionEvent) -> None:
        hold_started = isinstance(ev, HoldProgress) and not self._holding
        if isinstance(ev, HoldProgress | HoldDone):
            self._holding = isinstance(ev, HoldProgress)
        if not self.haptics:
            return
        link = self.main
        if isinstance(ev, RepCounted) and not ev.too_fast:
            link.send(fp.vibrate(40, 120, 1))
            link.send(fp.set_led(0, 160, 60))
        elif hold_started:
            link.send(fp.vibrate(30, 80, 1))
            link.send(fp.set_led(0, 90, 200, fp.LedPattern.PULSE, 1000))
        elif isinstance(ev, HoldDone):
            link.send(fp.vibrate(60, 150, 2))
            link.send(fp.set_led(0, 160, 60))

    async def close(self) -> None:
        self.stop()
        for link in self.links:
            await link.close()
