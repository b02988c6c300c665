"""The exercise session: calibrate, warm up, run sets against adaptive targets, rest, and persist every rep.

The game drives a session by iterating it; everything it needs arrives as events (:mod:`.session_events`)::

    async with PuckSession(factory, clock=clock) as puck:
        session = ExerciseSession(catalog["knee_extension"], puck, store, clock=clock, rate_hz=100)
        async for event in session:          # SessionStarted, Calibrating, Calibrated, WarmUp, SetStarted,
            ...                              # RepCounted, HoldProgress, HoldDone, TooFastCoach, TargetAdjusted,
                                             # SetCompleted, Resting, Paused/Resumed, StoppedForPain,
                                             # PuckDisconnected/PuckReconnected/PuckBatteryLow, SessionSummary
        session.progress                     # 0..1 of the calibrated range, for direct control each frame

A frame loop that polls instead of awaiting uses the step API on the same object: ``start()`` once, then
``feed(item)`` for each PuckSession item and ``tick()`` once per frame; each returns the events it caused.

Controls, callable at any time from the game (they take effect within ``tick_s`` of session time):
``pause(reason)``, ``resume()``, ``stop_for_pain(note)`` (records why and ends the session), ``stop()``,
``skip_calibration()`` (reuse the stored range, else let the first repetition set it; skips the warm-up) and
``skip_rest()``. ``inject(event)`` hands in a movement event as if the engine had found it (test harnesses).

Caregiver mode: a passive exercise (``exercise.passive``, or ``SessionConfig(assisted=True)``) is done by a
helper moving the limb; the session, its repetitions and holds are stored as assisted.

Guarantees: a :class:`RepCounted` or :class:`HoldDone` is committed to the store before it is yielded, so a
crash loses nothing the game celebrated. Repetitions made while paused, resting, calibrating or warming up are
not scored. All waiting is on the given clock: on a :class:`~repquest.clock.VirtualClock` nothing sleeps.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterable, AsyncIterator, Callable
from typing import Literal

from repquest.ble import BatteryLow, Connected, Disconnected, SessionItem, TimedBlock
from repquest.clock import Clock, wait_for
from repquest.dsp import Event, HoldCompleted, MovementEngine, Press, RepCompleted, TooFast
from repquest.dsp import HoldProgress as EngineHoldProgress
from repquest.exercises import Catalog, Exercise, default_catalog
from repquest.progress import (
    RULES,
    Rules,
    Store,
    TargetController,
    dose_for_level,
    settle_progress,
)
from repquest.session_config import SessionConfig, now_iso
from repquest.session_events import (
    Calibrated,
    Calibrating,
    HoldProgress,
    Paused,
    PuckBatteryLow,
    PuckDisconnected,
    PuckReconnected,
    Resting,
    Resumed,
    SessionEvent,
    SessionStarted,
    SessionSummary,
    SetCompleted,
    SetStarted,
    StoppedForPain,
    TargetAdjusted,
    TooFastCoach,
    WarmUp,
)
from repquest.session_scoring import SessionScore, amount_of, summarise

__all__ = ["ExerciseSession", "SessionConfig"]

Phase = Literal["calibrating", "warmup", "set", "resting", "done"]


class ExerciseSession:
    """One person doing one exercise on one puck (``source``: a PuckSession or any iterable of its items)."""

    def __init__(
        self,
        exercise: Exercise,
        source: AsyncIterable[SessionItem],
        store: Store,
        *,
        clock: Clock,
        rate_hz: float,
        config: SessionConfig | None = None,
        catalog: Catalog | None = None,
        rules: Rules = RULES,
        wall_now: Callable[[], str] = now_iso,
    ) -> None:
        self.exercise = exercise
        self.config = cfg = config or SessionConfig()
        self._source, self._store, self._clock, self._rules, self._wall = (
            source,
            store,
            clock,
            rules,
            wall_now,
        )
        self._catalog = catalog or default_catalog()
        self._engine = MovementEngine(exercise.engine_settings, rate_hz)
        self.profile_id = store.profile_id(cfg.profile, wall_now())
        self.level = store.level(self.profile_id, exercise.id)
        if cfg.max_level is not None:  # the therapist's cap: a level stored above it doses at the cap
            self.level = min(self.level, cfg.max_level)
        dose = dose_for_level(exercise, self.level, rules)
        self.sets = cfg.sets or dose.sets
        self.reps_per_set = cfg.reps or dose.reps
        self.rest_s = dose.rest_s if cfg.rest_s is None else cfg.rest_s
        carried = store.last_target_pct(self.profile_id, exercise.id)  # the target carries over sessions
        start_pct = dose.target_rom_pct if carried is None else carried
        self.targets = TargetController(start_pct, dose.hold_s, max_hold_s=rules.max_hold_s)
        self.assisted = exercise.passive if cfg.assisted is None else cfg.assisted
        self.score = SessionScore(self.assisted, rules)
        self.session_id = 0
        self.phase: Phase = "calibrating"
        self.paused = False
        self.rom: float | None = None
        self.end_reason = ""
        self._note = ""
        self._pending: list[SessionEvent] = []
        self._calibration: list[float] = []
        self._warmup_done = 0
        self._set_no = self._set_id = 0
        self._rom_from_first_rep = False
        self._rest_left_s = 0.0
        self._announced_rest = -1
        self._linked = True
        self._last_t = self._active_t = 0.0
        self._summary: SessionSummary | None = None

    @property
    def progress(self) -> float:
        """0..1 of the person's range of motion right now (the engine's continuous value)."""
        return self._engine.progress

    @property
    def angle_deg(self) -> float:
        """The limb's angle about the exercise axis now (live feedback while calibrating)."""
        return self._engine.angle_deg

    @property
    def target_rom(self) -> float:
        return 0.0 if self.rom is None else self.rom * self.targets.target_pct / 100.0

    # Controls for the game.
    def pause(self, reason: str = "paused") -> None:
        if not self.paused and self.phase != "done":
            self.paused = True
            self._pending.append(Paused(reason))

    def resume(self) -> None:
        if self.paused and self.phase != "done":
            self.paused = False
            self._active_t = self._clock.now()
            self._pending.append(Resumed())

    def stop_for_pain(self, note: str = "") -> None:
        """Stop at pain: record the note with the session and end it."""
        if self.phase != "done":
            self._pending.append(StoppedForPain(note))
            self._finish("pain", note)

    def stop(self) -> None:
        if self.phase != "done":
            self._finish("stopped")

    def skip_calibration(self) -> None:
        """Start the first set now: the stored range, or (none stored) the first repetition sets it."""
        if self.phase not in ("calibrating", "warmup"):
            return
        if self.phase == "calibrating":
            stored = self._store.latest_calibration(self.profile_id, self.exercise.id)
            if stored is not None:
                self._set_rom(stored)
                self._pending.append(Calibrated(stored, "stored"))
            else:
                self._rom_from_first_rep = True
        self._pending.extend(self._start_set())

    def skip_rest(self) -> None:
        """The person is ready before the rest countdown ends."""
        if self.phase == "resting" and not self.paused:
            self._pending.extend(self._start_set())

    def inject(self, m: Event) -> list[SessionEvent]:
        """A movement event as if the engine had found it (scored and stored like any other)."""
        if self.paused or self.phase == "done":
            return self._drain([])
        return self._drain(self._on_motion(m))

    # The step API (for a frame loop that polls): every call returns the events it caused, in order.
    def start(self) -> list[SessionEvent]:
        """Open the session in the store; returns SessionStarted and the first phase's events."""
        ex_id = self.exercise.id
        self.session_id = self._store.start_session(self.profile_id, ex_id, self._wall(), self.assisted)
        self._last_t = self._active_t = self._clock.now()
        started = SessionStarted(
            self.session_id, ex_id, self.sets, self.reps_per_set, self.level, self.assisted
        )
        return self._drain([started, *self._first_phase()])

    def feed(self, item: SessionItem) -> list[SessionEvent]:
        """One item from the PuckSession: a sample block or a connection event."""
        return self._drain(self._on_item(item))

    def tick(self) -> list[SessionEvent]:
        """Let session time pass (rest countdown, idle timeout) and deliver pause/resume/stop events."""
        return self._drain(self._on_time())

    @property
    def summary(self) -> SessionSummary | None:
        """The SessionSummary once the session has ended (it is also the last event delivered)."""
        return self._summary

    def _drain(self, events: list[SessionEvent]) -> list[SessionEvent]:
        out, self._pending = [*self._pending, *events], []
        if self.phase == "done" and self._summary is None:
            self._summary = self._summarise()
            out.append(self._summary)
        return out

    # The iterator API: pulls items from ``source`` on the session clock.
    def __aiter__(self) -> AsyncIterator[SessionEvent]:
        return self._run()

    async def _run(self) -> AsyncIterator[SessionEvent]:
        try:
            for event in self.start():
                yield event
            items = aiter(self._source)
            while self._summary is None:
                events: list[SessionEvent] = []
                try:
                    item = await wait_for(self._clock, anext(items), self.config.tick_s)
                except TimeoutError:
                    pass
                except StopAsyncIteration:
                    self._finish("stream_ended")
                else:
                    events = self.feed(item)
                for event in [*events, *self.tick()]:
                    yield event
        finally:
            if self.phase != "done":  # the game stopped iterating, or an error escaped
                self._finish("stopped")
            if self._summary is None and self.session_id:
                self._drain([])

    # Phases.
    def _first_phase(self) -> list[SessionEvent]:
        if self.exercise.kind in ("steps", "continuous"):
            self.rom = 0.0  # every stride counts: no range target
            return self._after_calibration()
        stored = self._store.latest_calibration(self.profile_id, self.exercise.id)
        if self.config.calibration_reps == 0 and stored is not None:
            self._set_rom(stored)
            return [Calibrated(stored, "stored"), *self._after_calibration()]
        return [Calibrating(0.0, 0, self._calibration_reps)]

    @property
    def _calibration_reps(self) -> int:
        return max(1, self.config.calibration_reps)

    def _after_calibration(self) -> list[SessionEvent]:
        if self.config.warmup_reps > 0 and self.exercise.kind not in ("steps", "continuous"):
            self.phase = "warmup"
            return []
        return self._start_set()

    def _start_set(self) -> list[SessionEvent]:
        self.phase = "set"
        self._set_no += 1
        self.score.new_set()
        self._active_t = self._clock.now()
        t = self.targets
        self._set_id = self._store.start_set(
            self.session_id, self._set_no, self.reps_per_set, t.target_pct, self.target_rom, t.hold_s
        )
        return [
            SetStarted(self._set_no, self.sets, self.reps_per_set, t.target_pct, self.target_rom, t.hold_s)
        ]

    def _end_set(self) -> list[SessionEvent]:
        sc = self.score
        self._store.end_set(self._set_id, sc.set_reps, sc.set_hits, self._wall())
        self._set_id = 0
        done: list[SessionEvent] = [SetCompleted(self._set_no, sc.set_reps, sc.set_hits)]
        if self._set_no >= self.sets:
            self._finish("completed")
        elif self.rest_s > 0:
            self.phase = "resting"
            self._rest_left_s = self.rest_s
            self._announced_rest = math.ceil(self.rest_s)
            done.append(Resting(self._announced_rest))
        else:
            done += self._start_set()
        return done

    def _finish(self, reason: str, note: str = "") -> None:
        if self._set_id:
            self._store.end_set(self._set_id, self.score.set_reps, self.score.set_hits, self._wall())
            self._set_id = 0
        self.phase, self.end_reason, self._note = "done", reason, note
        if self.session_id:
            self._store.end_session(self.session_id, self._wall(), reason, note)

    def _summarise(self) -> SessionSummary:
        outcome = settle_progress(
            self._store,
            self._catalog,
            self.profile_id,
            self.exercise.id,
            self._wall(),
            self._rules,
            max_level=self.config.max_level,
            session_id=self.session_id or None,
        )
        return summarise(self, outcome, self._store, self._wall(), self._note, self._rules)

    # Input: puck items, movement events and the passing of time.
    def _on_item(self, item: SessionItem) -> list[SessionEvent]:
        if isinstance(item, TimedBlock):
            motion = self._engine.feed_block(item.host_t_s, item.block)
            if self.paused or self.phase == "done":
                return []
            return [e for m in motion for e in self._on_motion(m)]
        if isinstance(item, Connected):
            self._active_t = self._clock.now()
            relinked, self._linked = not self._linked, True
            return [PuckReconnected()] if relinked else []
        if isinstance(item, Disconnected):
            self._linked = False
            if item.final:
                self._finish("puck_lost")
            return [PuckDisconnected(item.reason, item.final)]
        if isinstance(item, BatteryLow):
            return [PuckBatteryLow(item.battery_pct)]
        return []

    def _on_time(self) -> list[SessionEvent]:
        now = self._clock.now()
        dt_s, self._last_t = now - self._last_t, now
        if self.paused or self.phase == "done" or not self._linked:
            self._active_t = now
            return []
        if self.phase == "resting":
            self._rest_left_s -= dt_s
            if self._rest_left_s <= 0:
                return self._start_set()
            left = math.ceil(self._rest_left_s)
            if left < self._announced_rest:
                self._announced_rest = left
                return [Resting(left)]
            return []
        if now - self._active_t > self.config.idle_timeout_s:
            self._finish("idle")
        return []

    def _on_motion(self, m: Event) -> list[SessionEvent]:
        counted = (isinstance(m, Press) and self.exercise.kind == "press") or (
            isinstance(m, RepCompleted) and self.exercise.kind != "press"
        )
        if counted:
            assert isinstance(m, RepCompleted | Press)
            self._active_t = self._clock.now()
            if self.phase == "calibrating":
                return self._calibrate(m)
            if self.phase == "warmup":
                self._warmup_done += 1
                events: list[SessionEvent] = [WarmUp(self._warmup_done, self.config.warmup_reps)]
                return events + (self._start_set() if self._warmup_done >= self.config.warmup_reps else [])
            return self._count(m) if self.phase == "set" else []
        if isinstance(m, TooFast) and self.phase in ("warmup", "set"):
            return [TooFastCoach(m.speed_dps, m.limit_dps)]
        if isinstance(m, EngineHoldProgress) and self.phase == "set":
            return [HoldProgress(m.elapsed_s, self.targets.hold_s)]
        if isinstance(m, HoldCompleted) and self.phase == "set":
            return self._hold(m)
        return []

    def _set_rom(self, rom: float) -> None:
        self.rom = rom
        if self.exercise.kind != "press":  # the engine's progress is a share of this range
            self._engine.set_calibrated_rom(rom)

    def _calibrate(self, m: RepCompleted | Press) -> list[SessionEvent]:
        self._calibration.append(amount_of(m))
        n, need = len(self._calibration), self._calibration_reps
        events: list[SessionEvent] = [Calibrating(n / need, n, need)]
        if n < need:
            return events
        self._set_rom(sum(self._calibration) / n)
        self._save_rom()
        assert self.rom is not None
        return [*events, Calibrated(self.rom, "measured"), *self._after_calibration()]

    def _save_rom(self) -> None:
        assert self.rom is not None
        unit = "N" if self.exercise.kind == "press" else "deg"
        self._store.save_calibration(self.profile_id, self.exercise.id, self.rom, self._wall(), unit)

    def _hold(self, m: HoldCompleted) -> list[SessionEvent]:
        record = self.score.hold(m, self.session_id, self.targets.hold_s)
        hold_id = self._store.add_hold(record)  # committed before the game hears of it
        return [self.score.held(hold_id, record)]

    def _count(self, m: RepCompleted | Press) -> list[SessionEvent]:
        events: list[SessionEvent] = []
        if self._rom_from_first_rep:  # calibration was skipped with none stored: this movement sets the range
            self._rom_from_first_rep = False
            self._set_rom(amount_of(m))
            self._save_rom()
            events.append(Calibrated(amount_of(m), "first rep"))
        record = self.score.rep(m, self.session_id, self._set_no, self.target_rom, self.targets.hold_s)
        rep_id = self._store.add_rep(record)  # committed before the game hears of it
        events.append(self.score.counted(rep_id, record, self.reps_per_set))
        if self.exercise.kind not in ("steps", "continuous"):
            events += self._adjust(record.reached_target)
        if self.score.set_reps >= self.reps_per_set:
            events += self._end_set()
        return events

    def _adjust(self, reached: bool) -> list[SessionEvent]:
        events: list[SessionEvent] = []
        for change in self.targets.record(reached):
            self._store.log_adjustment(
                self.profile_id, self.session_id, self.exercise.id, change.what, change.old, change.new,
                change.reason, self._wall(),
            )  # fmt: skip
            events.append(TargetAdjusted(change.what, change.old, change.new, change.reason))
        return events
