"""The live commands: scan, stream, play (terminal view until the game exists), record and replay.

Each one builds a transport factory (real Bluetooth, the virtual puck, or a recording), runs a
:class:`~repquest.ble.PuckSession` on it and shows the stream in the terminal. All of them go through the same
session path, so what ``replay`` shows is what the live puck showed. ``stream --sim A --sim B`` runs one session
per virtual puck, each in its :class:`~repquest.ble.PuckSlot`: one block of the table per puck, titled with the
slot's label and colour in words and, on a terminal, drawn in that colour (never colour alone).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import sys
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from repquest.ble import (
    SLOTS,
    BatteryLow,
    Connected,
    DeviceProfile,
    Disconnected,
    PuckSession,
    PuckSlot,
    Reconnecting,
    SessionStats,
    StatusChanged,
    TimedBlock,
    Transport,
    VirtualTransport,
    WeakSignal,
    interleave,
    profile_for,
)
from repquest.ble.recorded import ReplayTransport, TeeTransport
from repquest.clock import Clock, VirtualClock, WallClock, wait_for
from repquest.errors import DeviceError, UsageError
from repquest.recording import RecordingWriter, read_recording
from repquest.stream_view import StreamSnapshot, TerminalView, render, tilt_deg

__all__ = ["play_command", "record_command", "replay_command", "scan_command", "stream_command"]

Factory = Callable[[], Awaitable[Transport]]
DEFAULT_EXERCISE = "knee_extension"
PLAY_SCAN_S = 3.0
VIRTUAL_SET_REPS = 200  # about 20 minutes of exercise before the virtual person only rests


@dataclass
class _StreamState:
    """What the view needs, updated item by item."""

    label: str
    started_s: float
    state: str = "connecting"
    battery_pct: int | None = None
    reference_acc: tuple[float, float, float] | None = None
    last: TimedBlock | None = None
    window: deque[tuple[float, int]] = field(default_factory=deque)

    def rate_sps(self, now_s: float) -> float:
        while self.window and now_s - self.window[0][0] > 2.0:
            self.window.popleft()
        if len(self.window) < 2:
            return 0.0
        span = self.window[-1][0] - self.window[0][0]
        return sum(n for _, n in list(self.window)[1:]) / span if span > 0 else 0.0

    def snapshot(self, now_s: float, stats: SessionStats) -> StreamSnapshot:
        acc = gyr = (0.0, 0.0, 0.0)
        force, touch = 0.0, False
        if self.last is not None:
            b = self.last.block
            acc = (float(b.acc_g[-1, 0]), float(b.acc_g[-1, 1]), float(b.acc_g[-1, 2]))
            gyr = (float(b.gyr_dps[-1, 0]), float(b.gyr_dps[-1, 1]), float(b.gyr_dps[-1, 2]))
            force, touch = float(b.force_n[-1]), b.touch
        return StreamSnapshot(
            source=self.label,
            state=self.state,
            elapsed_s=now_s - self.started_s,
            rate_sps=self.rate_sps(now_s),
            received=stats.received,
            lost=stats.lost,
            corrupt=stats.corrupt,
            battery_pct=self.battery_pct,
            acc_g=acc,
            gyr_dps=gyr,
            force_n=force,
            tilt_deg=tilt_deg(acc, self.reference_acc or acc),
            touch=touch,
        )


class _Sayer(Protocol):
    def say(self, message: str) -> None: ...


def _on_item(item: object, st: _StreamState, view: _Sayer, now_s: float) -> None:
    if isinstance(item, TimedBlock):
        st.last = item
        st.window.append((now_s, len(item)))
        if st.reference_acc is None:
            a = item.block.acc_g[0]
            st.reference_acc = (float(a[0]), float(a[1]), float(a[2]))
    elif isinstance(item, Connected):
        st.state = "streaming"
        view.say(f"connected to {item.device.name} ({item.device.address}), MTU {item.mtu} bytes")
    elif isinstance(item, StatusChanged):
        st.battery_pct = item.status.battery_pct
    elif isinstance(item, Disconnected):
        st.state = "disconnected"
        view.say(f"disconnected: {item.reason}" + ("" if item.final else "; reconnecting"))
    elif isinstance(item, Reconnecting):
        st.state = f"reconnecting (try {item.attempt})"
    elif isinstance(item, BatteryLow):
        view.say(f"battery low ({item.battery_pct} %): charge the puck after this set")
    elif isinstance(item, WeakSignal):
        view.say(f"weak signal ({item.rssi_dbm} dBm): bring the sensor closer to the computer")


async def _run_session(
    factory: Factory,
    clock: Clock,
    label: str,
    *,
    rate_hz: int,
    seconds: float | None,
    out: TextIO,
    finished: asyncio.Event | None = None,
    profile: DeviceProfile | None = None,
) -> SessionStats:
    """Stream until ``seconds`` pass, ``finished`` is set and drained, or the user presses Ctrl+C."""
    view = TerminalView(out)
    st = _StreamState(label, clock.now())
    session = PuckSession(factory, clock=clock, rate_hz=rate_hz, profile=profile)
    async with session:
        items = aiter(session)
        while seconds is None or clock.now() - st.started_s < seconds:
            try:
                item = await wait_for(clock, anext(items), 0.25)
            except TimeoutError:
                if finished is not None and finished.is_set():
                    break
            except StopAsyncIteration:
                break
            else:
                _on_item(item, st, view, clock.now())
            view.show(st.snapshot(clock.now(), session.stats))
        view.show(st.snapshot(clock.now(), session.stats), force=True)
        return session.stats


def _virtual(exercise: str, clock: Clock, rate_hz: int, slot: PuckSlot | None = None) -> tuple[Factory, str]:
    from repquest.simulator.exercise_models import build_set
    from repquest.simulator.puck import VirtualPuck

    simulated = build_set(exercise, VIRTUAL_SET_REPS, seed=random.randrange(1 << 31), rate_hz=float(rate_hz))
    if slot is None:
        puck = VirtualPuck(simulated)
    else:  # several virtual pucks: each its own name and address, as real ones would have
        index = SLOTS.index(slot) + 1
        puck = VirtualPuck(
            simulated, name=f"{VirtualPuck.name} {slot.label}", address=f"C0:FF:EE:00:00:{index:02X}"
        )
    transport = VirtualTransport(puck, clock)
    return transport.factory(), f"virtual puck ({exercise})"


RESET = "\x1b[0m"


def slot_title(slot: PuckSlot) -> str:
    """The slot in words ("puck A (blue)"), so that colour is never the only cue."""
    return f"puck {slot.label} ({slot.colour})"


class SlotBlocksView:
    """The stream table with one block per puck; each block titled with its slot in words and, on a terminal,
    drawn in the slot's colour (``NO_COLOR`` turns colour off). Off a terminal, one line per puck per interval.
    """

    def __init__(self, out: TextIO, *, interval_s: float = 0.1, log_interval_s: float = 1.0) -> None:
        self.out = out
        self.is_tty = out.isatty()
        self.colour = self.is_tty and not os.environ.get("NO_COLOR")
        self.interval_s = interval_s if self.is_tty else log_interval_s
        self._drawn = 0
        self._last_s = -math.inf

    def paint(self, slot: PuckSlot, text: str) -> str:
        return f"{slot.ansi}{text}{RESET}" if self.colour and text else text

    def show(
        self, blocks: Sequence[tuple[PuckSlot, StreamSnapshot]], elapsed_s: float, *, force: bool = False
    ) -> None:
        if not force and elapsed_s - self._last_s < self.interval_s:
            return
        self._last_s = elapsed_s
        if self.is_tty:
            lines = [self.paint(slot, line) for slot, snapshot in blocks for line in [*render(snapshot), ""]]
            up = f"\x1b[{self._drawn}F" if self._drawn else ""
            self.out.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
            self._drawn = len(lines)
        else:
            for slot, snapshot in blocks:
                lines = render(snapshot)
                self.out.write(
                    self.paint(slot, " | ".join(line.strip() for line in lines[:2] + lines[3:5])) + "\n"
                )
        self.out.flush()

    def say(self, slot: PuckSlot, message: str) -> None:
        """A message about one puck above the table, prefixed with its slot."""
        if self.is_tty and self._drawn:
            self.out.write(f"\x1b[{self._drawn}F\x1b[J")
            self._drawn = 0
        self.out.write(self.paint(slot, f"{slot_title(slot)}: {message}") + "\n")
        self.out.flush()


@dataclass
class _SlotSayer:
    view: SlotBlocksView
    slot: PuckSlot

    def say(self, message: str) -> None:
        self.view.say(self.slot, message)


async def _run_slots(
    sources: Sequence[tuple[Factory, str]],
    clock: Clock,
    *,
    rate_hz: int,
    seconds: float | None,
    out: TextIO,
) -> list[tuple[PuckSlot, SessionStats]]:
    """Several sessions side by side, one slot each, until ``seconds`` pass or the user presses Ctrl+C."""
    if len(sources) > len(SLOTS):
        raise UsageError(f"at most {len(SLOTS)} pucks at once, got {len(sources)}")
    view = SlotBlocksView(out)
    started_s = clock.now()
    slots = SLOTS[: len(sources)]
    sessions = [
        PuckSession(factory, clock=clock, rate_hz=rate_hz, slot=slot)
        for (factory, _), slot in zip(sources, slots, strict=True)
    ]
    states = {
        slot.label: _StreamState(f"{slot_title(slot)}: {label}", started_s)
        for (_, label), slot in zip(sources, slots, strict=True)
    }

    def show(force: bool = False) -> None:
        now_s = clock.now()
        blocks = [
            (slot, states[slot.label].snapshot(now_s, s.stats))
            for slot, s in zip(slots, sessions, strict=True)
        ]
        view.show(blocks, now_s - started_s, force=force)

    async def consume() -> None:
        async for session, item in interleave(sessions):
            slot = session.slot
            assert slot is not None
            _on_item(item, states[slot.label], _SlotSayer(view, slot), clock.now())
            show()

    async with contextlib.AsyncExitStack() as running:
        for session in sessions:
            await running.enter_async_context(session)
        consumer = asyncio.get_running_loop().create_task(consume(), name="stream pucks")
        try:
            while not consumer.done() and (seconds is None or clock.now() - started_s < seconds):
                with contextlib.suppress(TimeoutError):
                    await wait_for(clock, asyncio.shield(consumer), 0.25)
                show()
        finally:
            consumer.cancel()
            await asyncio.wait({consumer})
        show(force=True)
        return [(slot, s.stats) for slot, s in zip(slots, sessions, strict=True)]


def _report(stats: SessionStats, out: TextIO, prefix: str = "") -> None:
    out.write(
        f"{prefix}received {stats.received} notifications ({stats.samples} samples), lost {stats.lost}, "
        f"duplicates {stats.duplicates}, undecodable {stats.corrupt}, reconnects {stats.reconnects}\n"
    )


def _source(sim: str | None, address: str | None, clock: Clock, rate_hz: int) -> tuple[Factory, str]:
    if sim is not None:
        return _virtual(sim, clock, rate_hz)
    from repquest.ble.bleak_transport import bleak_factory

    return bleak_factory(address), f"puck {address}" if address else "nearest puck"


def scan_command(timeout_s: float, out: TextIO = sys.stdout) -> int:
    """List nearby pucks; exit 1 when none answers."""
    from repquest.ble.bleak_transport import scan_sensors

    out.write(f"scanning for {timeout_s:g} s ...\n")
    sensors = asyncio.run(scan_sensors(timeout_s))
    found = [d for d, _ in sensors]
    kinds = {d.address: kind for d, kind in sensors}
    if not found:
        out.write(
            "no puck found: check it is switched on and charged, and within a few metres.\n"
            "To try RepQuest without a puck: repquest play --sim knee_extension\n"
        )
        return 1
    out.write(f"{'name':24} {'kind':10} {'address':40} {'signal':>8} {'battery':>8}\n")
    for d in found:
        rssi = "?" if d.rssi is None else f"{d.rssi} dBm"
        battery = "?" if d.battery_pct is None else f"{d.battery_pct} %"
        out.write(f"{d.name:24} {kinds[d.address]:10} {d.address:40} {rssi:>8} {battery:>8}\n")
    return 0


def stream_command(
    *,
    sim: str | Sequence[str] | None,
    address: str | None,
    rate_hz: int,
    seconds: float | None,
    out: TextIO = sys.stdout,
    clock: Clock | None = None,
) -> int:
    """Show live motion (``clock``: the wall clock unless a test passes a virtual one).

    ``sim`` may list several exercises: one virtual puck each, shown side by side in their slots."""
    clock = clock or WallClock()
    if sim is not None and not isinstance(sim, str):
        exercises = list(sim)
        if len(exercises) > 1:
            return _stream_slots(exercises, rate_hz=rate_hz, seconds=seconds, out=out, clock=clock)
        sim = exercises[0] if exercises else None

    async def run() -> SessionStats:
        assert clock is not None
        if address is not None and sim is None:
            factory, label, profile = await _sensor_source(address, rate_hz, out)
            return await _run_session(
                factory, clock, label, rate_hz=rate_hz, seconds=seconds, out=out, profile=profile
            )
        factory, label = _source(sim, address, clock, rate_hz)
        return await _run_session(factory, clock, label, rate_hz=rate_hz, seconds=seconds, out=out)

    _report(asyncio.run(run()), out)
    return 0


def _stream_slots(
    exercises: Sequence[str], *, rate_hz: int, seconds: float | None, out: TextIO, clock: Clock
) -> int:
    """``stream --sim A --sim B``: one virtual puck per exercise, each in its slot."""
    if len(exercises) > len(SLOTS):
        raise UsageError(f"at most {len(SLOTS)} virtual pucks at once, got {len(exercises)}")

    async def run() -> list[tuple[PuckSlot, SessionStats]]:
        sources = [_virtual(e, clock, rate_hz, slot) for e, slot in zip(exercises, SLOTS, strict=False)]
        return await _run_slots(sources, clock, rate_hz=rate_hz, seconds=seconds, out=out)

    for slot, stats in asyncio.run(run()):
        _report(stats, out, prefix=f"{slot_title(slot)}: ")
    return 0


async def _sensor_source(address: str, rate_hz: int, out: TextIO) -> tuple[Factory, str, DeviceProfile]:
    """Scan once to learn what kind of sensor ``address`` is (puck, WitMotion, Polar) and pick its profile."""
    from repquest.ble.bleak_transport import bleak_factory, scan_sensors

    found = {d.address.lower(): (d, kind) for d, kind in await scan_sensors(PLAY_SCAN_S)}
    if address.lower() not in found:
        kind = "puck"  # not heard in this scan: the session's own scans will keep looking for a puck
    else:
        kind = found[address.lower()][1]
        out.write(f"{address} is a {kind} sensor\n")
    rate = None if kind == "polar" or (kind == "witmotion" and rate_hz > 200) else rate_hz
    return bleak_factory(address, kinds=(kind,)), f"{kind} {address}", profile_for(kind, rate)


def _find_real_puck(out: TextIO) -> str | None:
    """The address of the strongest puck in range, or None (saying why) to fall back to the virtual one."""
    try:
        from repquest.ble.bleak_transport import scan

        out.write(f"looking for a puck ({PLAY_SCAN_S:g} s) ...\n")
        found = asyncio.run(scan(PLAY_SCAN_S))
    except DeviceError as exc:
        out.write(f"Bluetooth is not available ({exc}).\n")
        return None
    if not found:
        out.write("no puck found.\n")
        return None
    return found[0].address


def play_command(*, sim: str | None, seconds: float | None, out: TextIO = sys.stdout) -> int:
    """Find a puck, or fall back to the virtual puck, and show live motion."""
    address = None if sim is not None else _find_real_puck(out)
    if address is None and sim is None:
        sim = DEFAULT_EXERCISE
        out.write(f"Playing with the virtual puck doing {sim.replace('_', ' ')}. Ctrl+C stops.\n")
    return stream_command(sim=sim, address=address, rate_hz=100, seconds=seconds, out=out)


def record_command(
    path: Path,
    *,
    sim: str | None,
    address: str | None,
    rate_hz: int,
    seconds: float | None,
    out: TextIO = sys.stdout,
    clock: Clock | None = None,
) -> int:
    """Record raw notifications with their arrival times to ``path``."""
    clock = clock or WallClock()

    async def run() -> tuple[SessionStats, int]:
        assert clock is not None
        factory, label = _source(sim, address, clock, rate_hz)
        found: list[Transport] = [await factory()]  # the first scan names the device in the header
        info = found[0].device
        with RecordingWriter(path, {"name": info.name, "address": info.address}) as writer:

            async def tee() -> Transport:
                inner = found.pop() if found else await factory()  # reconnects scan afresh
                return TeeTransport(inner, writer, clock)

            stats = await _run_session(tee, clock, label, rate_hz=rate_hz, seconds=seconds, out=out)
            return stats, writer.count

    stats, count = asyncio.run(run())
    _report(stats, out)
    out.write(f"wrote {count} notifications to {path}\n")
    return 0


def replay_command(path: Path, *, fast: bool, out: TextIO = sys.stdout) -> int:
    """Play a recording through the live session path, in real time or (``fast``) on a virtual clock."""
    recording = read_recording(path)
    if not recording.notifications:
        raise UsageError(f"{path} holds no notifications")
    clock: Clock = VirtualClock() if fast else WallClock()

    async def run() -> SessionStats:
        transport = ReplayTransport(recording, clock)
        label = f"replay of {path.name}"
        return await _run_session(
            transport.factory(), clock, label, rate_hz=100, seconds=None, out=out, finished=transport.finished
        )

    _report(asyncio.run(run()), out)
    return 0
