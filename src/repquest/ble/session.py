"""A live session with one sensor: connect, stream, check, timestamp, and reconnect when the link drops.

What differs between devices (our puck, WitMotion, Polar) lives in a :class:`~.profiles.DeviceProfile`; the
session is the same for all of them, so what consumes its :class:`TimedBlock` s never knows which fed it.

Notifications are decoded inside the transport's callback (synchronously, never awaiting), checked by the
sequence tracker, timestamped by the clock mapper and put on a bounded queue that ``async for`` drains. A
supervisor task owned by the session watches the link and reconnects by its :class:`ReconnectPolicy`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self, TypeVar

from repquest import firmware_protocol as fp
from repquest.clock import Clock, WallClock, wait_for
from repquest.errors import ConnectionLostError, DeviceError, ProtocolError

from .events import (
    BatteryLow,
    Connected,
    Disconnected,
    Reconnecting,
    SessionItem,
    SessionStats,
    StatusChanged,
    TimedBlock,
    WeakSignal,
)
from .integrity import DeviceClockMapper, SequenceTracker
from .profiles import DeviceProfile, PuckProfile
from .reconnect import ReconnectPolicy
from .slots import PuckSlot
from .transport import DeviceInfo, Transport

__all__ = ["PuckSession", "TransportFactory"]

T = TypeVar("T")
TransportFactory = Callable[[], Awaitable[Transport]]
"""Finds the puck (scanning afresh: BlueZ will not reconnect to a cached device) and returns an unconnected
transport to it, or raises DeviceNotFoundError. Called for the first connect and for every reconnect."""

_LINK_ERRORS = (DeviceError, ProtocolError, TimeoutError)
_LONG_SILENCE_S = 2.0


class PuckSession:
    """Stream one puck's samples as :class:`TimedBlock` items, with connection events between them.

    Args:
        factory: makes the transport (see :data:`TransportFactory`).
        clock: time for timestamps, timeouts and backoff (WallClock live, VirtualClock in tests).
        rate_hz: sample rate to ask for (50, 100, 200 or 400).
        policy: when to reconnect and when to give up.
        queue_blocks: blocks held for a slow consumer; beyond that new blocks count as lost (``overflow``).
        connect_timeout_s: bound on finding and connecting. command_timeout_s: bound on each GATT request.
        data_timeout_s: a connected link silent this long is treated as dropped.
        battery_low_pct: below this charge :class:`BatteryLow` is yielded (once until it recovers).
        weak_signal_dbm: a scan RSSI below this at (re)connect yields :class:`WeakSignal`.
        profile: the kind of device (default: our puck at ``rate_hz``); its rate overrides ``rate_hz``.
        slot: which of several sensors this is (label and colour), for showing two side by side.
    """

    def __init__(
        self,
        factory: TransportFactory,
        *,
        clock: Clock | None = None,
        rate_hz: int = 100,
        policy: ReconnectPolicy | None = None,
        queue_blocks: int = 256,
        connect_timeout_s: float = 10.0,
        command_timeout_s: float = 2.0,
        data_timeout_s: float = 5.0,
        battery_low_pct: int = 15,
        weak_signal_dbm: int = -85,
        profile: DeviceProfile | None = None,
        slot: PuckSlot | None = None,
    ) -> None:
        self.profile: DeviceProfile = profile or PuckProfile(rate_hz)  # validates the rate now
        self.slot = slot
        self._factory = factory
        self.clock: Clock = clock or WallClock()
        self.rate_hz = self.profile.rate_hz
        self.profile.clock = self.clock  # device pauses between commands run on the session's time
        self.weak_signal_dbm = weak_signal_dbm
        self.policy = policy or ReconnectPolicy()
        self.queue_blocks = queue_blocks
        self.connect_timeout_s = connect_timeout_s
        self.command_timeout_s = command_timeout_s
        self.data_timeout_s = data_timeout_s
        self.battery_low_pct = battery_low_pct
        self.transport: Transport | None = None
        self.status: fp.PuckStatus | None = None
        self.tracker = SequenceTracker()
        self.mapper = DeviceClockMapper()
        self._items: deque[SessionItem] = deque()
        self._blocks_queued = 0
        self._wakeup = asyncio.Event()
        self._link_lost = asyncio.Event()
        self._lost_reason = ""
        self._supervisor: asyncio.Task[None] | None = None
        self._ended: BaseException | None = None  # StopAsyncIteration or the error that ended the session
        self._last_data_s = 0.0
        self._pending_lost = 0
        self._battery_warned = False
        self._counts = {"samples": 0, "corrupt": 0, "overflow": 0, "reconnects": 0, "received": 0}

    # -- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Find the puck, connect and start streaming; DeviceNotFoundError etc. if the first try fails."""
        try:
            await self._open()
        except BaseException:
            await self._drop_transport()
            raise
        self._supervisor = asyncio.get_running_loop().create_task(self._supervise(), name="PuckSession")
        self._supervisor.add_done_callback(self._supervisor_done)

    async def close(self) -> None:
        """Stop the stream and disconnect (idempotent); the iterator ends after the items already queued."""
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            await asyncio.wait({supervisor})
        transport, self.transport = self.transport, None
        if transport is not None:
            transport.set_disconnected_callback(None)
            if transport.is_connected:
                for command in self.profile.stop_commands():
                    with contextlib.suppress(*_LINK_ERRORS):
                        await wait_for(self.clock, transport.write(self.profile.command_uuid, command), 0.5)
            with contextlib.suppress(*_LINK_ERRORS):
                await wait_for(self.clock, transport.disconnect(), self.command_timeout_s)
        self._end(StopAsyncIteration())

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- what callers use ------------------------------------------------------------------------------------

    @property
    def device(self) -> DeviceInfo | None:
        return None if self.transport is None else self.transport.device

    @property
    def stats(self) -> SessionStats:
        t, c = self.tracker, self._counts
        return SessionStats(
            received=c["received"],
            samples=c["samples"],
            lost=t.lost + c["overflow"],
            duplicates=t.duplicates,
            stale=t.stale,
            corrupt=c["corrupt"] + self.profile.garbled,
            overflow=c["overflow"],
            reconnects=c["reconnects"],
        )

    async def send(self, command: bytes) -> None:
        """Write a command (e.g. ``firmware_protocol.vibrate()``); DeviceError while the link is down."""
        transport = self.transport
        if transport is None or not transport.is_connected:
            raise DeviceError("the sensor is not connected right now: wait for it to reconnect")
        await self._call(transport.write(self.profile.command_uuid, command))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionItem:
        while not self._items:
            if self._ended is not None:
                raise self._ended
            self._wakeup.clear()
            await self._wakeup.wait()  # bounded: the data watchdog yields Disconnected within data_timeout_s
        item = self._items.popleft()
        if isinstance(item, TimedBlock):
            self._blocks_queued -= 1
        return item

    # -- connecting ------------------------------------------------------------------------------------------

    async def _call(self, awaitable: Awaitable[T], timeout_s: float | None = None) -> T:
        return await wait_for(self.clock, awaitable, timeout_s or self.command_timeout_s)

    async def _open(self) -> None:
        transport = await self._call(self._factory(), self.connect_timeout_s)
        self.transport = transport
        self._link_lost.clear()
        transport.set_disconnected_callback(self._on_disconnected)
        await self._call(transport.connect(self.connect_timeout_s), self.connect_timeout_s + 1.0)
        device = transport.device
        self._push(Connected(device, transport.mtu))
        if device.rssi is not None and device.rssi < self.weak_signal_dbm:
            self._push(WeakSignal(device.rssi))
        battery_pct = await self.profile.open(transport, self._call, self._on_data, self._on_status)
        if battery_pct is not None:
            self._check_battery(battery_pct, False)
        self._last_data_s = self.clock.now()

    async def _supervise(self) -> None:
        while True:
            reason = await self._watch()
            self._push(Disconnected(reason))
            await self._drop_transport()
            await self._reconnect(reason)

    async def _watch(self) -> str:
        """Wait until the link drops or goes silent; return why."""
        while True:
            silent_s = self.clock.now() - self._last_data_s
            # A microsecond's slack: a remaining wait too small to move a float clock would spin forever.
            if silent_s >= self.data_timeout_s - 1e-6:
                return f"no data for {silent_s:.1f} s"
            with contextlib.suppress(TimeoutError):
                await wait_for(self.clock, self._link_lost.wait(), self.data_timeout_s - silent_s)
                return self._lost_reason

    async def _drop_transport(self) -> None:
        transport = self.transport
        if transport is not None:
            transport.set_disconnected_callback(None)
            with contextlib.suppress(*_LINK_ERRORS):
                await self._call(transport.disconnect())

    async def _reconnect(self, reason: str) -> None:
        backoff = self.policy.start()
        dropped_at = self.clock.now()
        while True:
            delay = backoff.next_delay(self.clock.now() - dropped_at)
            if delay is None:
                error = ConnectionLostError(
                    f"lost the puck ({reason}) and could not reconnect after {backoff.attempt} attempts: "
                    "check it is charged and near the computer, then start again"
                )
                self._push(Disconnected(reason, final=True))
                self._end(error)
                raise error
            self._push(Reconnecting(backoff.attempt, delay))
            await self.clock.sleep(delay)
            try:
                await self._open()
            except _LINK_ERRORS as exc:
                reason = str(exc) or type(exc).__name__
                await self._drop_transport()
                continue
            self._counts["reconnects"] += 1
            return

    # -- callbacks (synchronous, on the event loop) ----------------------------------------------------------

    def _on_disconnected(self, transport: Transport) -> None:
        if transport is self.transport:
            self._lost_reason = f"{transport.device.name} disconnected"
            self._link_lost.set()

    def _on_data(self, data: bytes) -> None:
        now_s = self.clock.now()
        try:
            blocks = self.profile.decode(data, now_s)
        except ProtocolError:
            self._counts["corrupt"] += 1  # its sequence number shows up as a gap, so it is also counted lost
            return
        for block in blocks:
            self._accept(block, now_s)

    def _accept(self, block: fp.SampleBlock, now_s: float) -> None:
        silence_s = now_s - self._last_data_s
        hint = silence_s * block.rate_hz / len(block) if silence_s > _LONG_SILENCE_S else None
        first = self.tracker.last_seq is None
        self._last_data_s = now_s
        lost = self.tracker.accept(block.seq, hint)
        if lost is None:
            return
        host_t_s = self.mapper.map(block.t0_us, len(block), block.rate_hz, now_s, None if first else lost + 1)
        if self._blocks_queued >= self.queue_blocks:
            self._counts["overflow"] += 1  # the consumer fell behind: lose this block rather than grow
            self._pending_lost += lost + 1
            return
        self._counts["received"] += 1
        self._counts["samples"] += len(block)
        self._blocks_queued += 1
        self._push(TimedBlock(block, host_t_s, lost + self._pending_lost))
        self._pending_lost = 0

    def _on_status(self, data: bytes) -> None:
        try:
            status = fp.parse_status(data)
        except ProtocolError:
            self._counts["corrupt"] += 1
            return
        self.status = status
        self._push(StatusChanged(status))
        self._check_battery(status.battery_pct, "battery_low" in status.errors)

    def _check_battery(self, battery_pct: int, flagged: bool) -> None:
        low = battery_pct < self.battery_low_pct or flagged
        if low and not self._battery_warned:
            self._push(BatteryLow(battery_pct))
        self._battery_warned = low or (self._battery_warned and battery_pct < self.battery_low_pct + 5)

    # -- the queue -------------------------------------------------------------------------------------------

    def _push(self, item: SessionItem) -> None:
        self._items.append(item)
        self._wakeup.set()

    def _end(self, reason: BaseException) -> None:
        if self._ended is None:
            self._ended = reason
        self._wakeup.set()

    def _supervisor_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self._end(task.exception() or RuntimeError("session supervisor failed"))
