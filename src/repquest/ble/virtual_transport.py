"""A transport to the in-process virtual puck, on any clock, with optional link faults.

A pump task runs the puck's firmware on the clock, one connection interval at a time (notifications reach a
real host at connection events, so arrival times are quantised the same way), passes what it sent through
the fault chain, and delivers each notification in order at its arrival time by calling the subscriber
synchronously."""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from repquest.clock import Clock
from repquest.errors import DeviceError, DeviceNotFoundError, ProtocolError
from repquest.firmware_protocol import DATA_CHAR_UUID, STATUS_CHAR_UUID
from repquest.simulator.faults import LinkDrop
from repquest.simulator.puck import Emission, VirtualPuck

from .transport import DEFAULT_CONNECT_TIMEOUT_S, DeviceInfo, NotifyCallback, Transport

__all__ = ["LinkFaults", "VirtualTransport"]

MAX_ATT_MTU = 517
_NOTIFIABLE = (DATA_CHAR_UUID, STATUS_CHAR_UUID)


class LinkFaults(Protocol):
    """A fault or a FaultChain from :mod:`repquest.simulator.faults`."""

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]: ...


class VirtualTransport(Transport):
    """A :class:`Transport` to a :class:`~repquest.simulator.puck.VirtualPuck`.

    Args:
        puck: the emulated firmware; its true time is ``clock.now() - origin``.
        clock: what the pump and every wait run on (a VirtualClock in tests).
        mtu: the ATT MTU the host asks for (23..517); the puck batches samples to fit it.
        faults: a fault or FaultChain applied to everything the puck sends.
        connection_interval_s: how often the pump runs the puck and the link delivers (BLE allows 7.5 ms+).
        latency_s: extra one-way delay of each notification.
        jitter_s: a further random delay, uniform in [0, jitter_s], drawn from ``seed``; order is kept.
        connect_time_s: how long a successful connect takes.
        seed: seeds the jitter.

    Attributes:
        undelivered: data notifications that reached the host side while no one was subscribed or the link was
            down (queued ones lost in a drop included); the fault's own log covers what the outage swallowed.
        delivered: notifications handed to subscribers.
    """

    def __init__(
        self,
        puck: VirtualPuck,
        clock: Clock,
        *,
        mtu: int = 247,
        faults: LinkFaults | None = None,
        connection_interval_s: float = 0.0075,
        latency_s: float = 0.0,
        jitter_s: float = 0.0,
        connect_time_s: float = 0.05,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if not 23 <= mtu <= MAX_ATT_MTU:
            raise ValueError(f"ATT MTU must be 23..{MAX_ATT_MTU} bytes, got {mtu}")
        self.puck = puck
        self.clock = clock
        self.requested_mtu = mtu
        self.faults = faults
        self.connection_interval_s = connection_interval_s
        self.latency_s = latency_s
        self.jitter_s = jitter_s
        self.connect_time_s = connect_time_s
        self.origin_s = clock.now()
        self.undelivered: list[Emission] = []
        self.delivered = 0
        self._rng = random.Random(seed)
        self._mtu = 23
        self._connected = False
        self._reachable_at_s = float("-inf")  # puck time from which the puck can be reached again
        self._subscribers: dict[str, NotifyCallback] = {}
        self._queue: deque[tuple[float, Emission]] = deque()  # (host arrival time s, notification), in order
        self._pump: asyncio.Task[None] | None = None

    # -- Transport -------------------------------------------------------------------------------------------

    @property
    def device(self) -> DeviceInfo:
        return DeviceInfo(self.puck.name, self.puck.address, rssi=-55, kind="virtual")

    @property
    def is_connected(self) -> bool:
        return self._connected

    @property
    def mtu(self) -> int:
        return self._mtu

    def is_reachable(self) -> bool:
        """False while an injected outage lasts."""
        self._sync()
        return self._puck_now() >= self._reachable_at_s

    async def scan(self, timeout_s: float = 2.0) -> list[DeviceInfo]:
        """What a scan would find: the puck, unless an outage hides it (then it waits the whole timeout)."""
        if self.is_reachable():
            await self.clock.sleep(min(timeout_s, self.connection_interval_s))
            return [self.device]
        await self.clock.sleep(timeout_s)
        return [self.device] if self.is_reachable() else []

    def factory(self, scan_timeout_s: float = 1.0) -> Callable[[], Awaitable[Transport]]:
        """A PuckSession transport factory: scans first, like the bleak one, then hands out this transport."""

        async def find() -> Transport:
            if not await self.scan(scan_timeout_s):
                raise DeviceNotFoundError(
                    f"did not find {self.puck.name} in {scan_timeout_s:.3g} s: "
                    "switch it on and bring it closer"
                )
            return self

        return find

    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        if self._connected:
            return
        self._start_pump()
        self._sync()
        wait_s = self._reachable_at_s - self._puck_now()
        if wait_s > timeout_s - self.connect_time_s:
            await self.clock.sleep(timeout_s)
            raise DeviceNotFoundError(
                f"{self.puck.name} ({self.puck.address}) did not answer within {timeout_s:.3g} s: "
                "check it is switched on, charged and within a few metres"
            )
        await self.clock.sleep(max(0.0, wait_s) + self.connect_time_s)
        self._sync()
        if self._puck_now() < self._reachable_at_s:  # dropped again while connecting
            raise DeviceNotFoundError(f"{self.puck.name} went out of reach while connecting: try again")
        self._mtu = self.requested_mtu
        self.puck.mtu = self._mtu
        self._subscribers.clear()  # a fresh connection has no subscriptions
        self._connected = True

    async def disconnect(self) -> None:
        self._link_lost()
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            await asyncio.wait({pump})

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        await self._round_trip()
        if char_uuid not in _NOTIFIABLE:
            raise ProtocolError(f"characteristic {char_uuid} does not notify")
        self._subscribers[char_uuid] = callback

    async def stop_notify(self, char_uuid: str) -> None:
        await self._round_trip()
        self._subscribers.pop(char_uuid, None)

    async def write(self, char_uuid: str, data: bytes) -> None:
        await self._round_trip()
        self.puck.write(char_uuid, bytes(data))  # ProtocolError stands for the ATT error response

    async def read(self, char_uuid: str) -> bytes:
        await self._round_trip()
        return self.puck.read(char_uuid)

    # -- the link --------------------------------------------------------------------------------------------

    def _puck_now(self) -> float:
        return self.clock.now() - self.origin_s

    def _require_link(self) -> None:
        if not self._connected:
            raise DeviceError(f"{self.puck.name} is not connected: connect first")

    async def _round_trip(self) -> None:
        """An ATT request and its response take about one connection interval."""
        self._require_link()
        await self.clock.sleep(self.connection_interval_s)
        self._sync()
        self._require_link()

    def _start_pump(self) -> None:
        if self._pump is None or self._pump.done():
            self._pump = asyncio.get_running_loop().create_task(self._run(), name=f"pump {self.puck.address}")

    async def _run(self) -> None:
        while True:
            self._sync()
            self._deliver_due()
            now_s = self.clock.now()
            next_s = now_s + self.connection_interval_s
            if self._queue:
                next_s = min(next_s, max(now_s, self._queue[0][0]))
            await self.clock.sleep(next_s - now_s)

    def _sync(self) -> None:
        """Run the firmware up to now and queue what it sent, through the faults."""
        t_s = self._puck_now()
        if t_s < self.puck.now_s:
            return
        emissions = self.puck.advance_to(t_s)
        items: list[Emission | LinkDrop] = (
            list(emissions) if self.faults is None else self.faults.apply(emissions, now_s=t_s)
        )
        last_s = self._queue[-1][0] if self._queue else float("-inf")
        for item in items:
            if isinstance(item, LinkDrop):
                self._reachable_at_s = max(self._reachable_at_s, item.reconnectable_at_s)
                if self._connected:
                    self._link_lost()
                    self._fire_disconnected()
                continue
            arrival_s = self.origin_s + item.t_s + self.latency_s
            if self.jitter_s > 0:
                arrival_s += self._rng.uniform(0.0, self.jitter_s)
            last_s = max(arrival_s, last_s)  # the link layer delivers in order
            self._queue.append((last_s, item))

    def _deliver_due(self) -> None:
        now_s = self.clock.now()
        while self._queue and self._queue[0][0] <= now_s:
            _, emission = self._queue.popleft()
            callback = self._subscribers.get(emission.char_uuid) if self._connected else None
            if callback is None:
                self._note_undelivered(emission)
                continue
            self.delivered += 1
            try:
                callback(emission.data)
            except Exception as exc:  # a subscriber's bug must not stop the link; report it as bleak would
                asyncio.get_running_loop().call_exception_handler(
                    {"message": "notification callback failed", "exception": exc}
                )

    def _note_undelivered(self, emission: Emission) -> None:
        if emission.char_uuid == DATA_CHAR_UUID:
            self.undelivered.append(emission)

    def _link_lost(self) -> None:
        self._connected = False
        self._subscribers.clear()
        while self._queue:
            self._note_undelivered(self._queue.popleft()[1])
