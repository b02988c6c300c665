"""A whole BLE link in this process: the virtual puck as a bumble peripheral, reached through bleak.

:class:`LocalBumbleTransport` is a :class:`Transport` that, on its first connect, builds a virtual link with two
bumble hosts on it (the puck peripheral of :mod:`.bumble_peripheral` and a central), and then talks to the puck
through the ordinary :class:`~.bleak_transport.BleakTransport` over the bumble bleak backend. Every byte takes
the real path: bleak's API, ATT and GATT, L2CAP, HCI, the controllers. On a
:class:`~repquest.clock.VirtualClock` it runs without waiting on wall time (used by the transport contract
suite); live it runs on the wall clock. Built lazily because bumble's controllers bind to the running loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from typing import Any

from repquest.clock import Clock, WallClock
from repquest.errors import DeviceError
from repquest.simulator.faults import Fault
from repquest.simulator.puck import VirtualPuck

from .bleak_transport import BleakTransport
from .bumble_backend import bumble_client_factory
from .bumble_link import BumbleStack, VirtualLink
from .bumble_peripheral import PuckPeripheral
from .transport import DEFAULT_CONNECT_TIMEOUT_S, DeviceInfo, NotifyCallback, Transport

__all__ = ["LocalBumbleTransport", "PeripheralProcess"]


class LocalBumbleTransport(Transport):
    """A :class:`Transport` to ``puck`` served over an in-process bumble link, through bleak.

    Args:
        puck: the emulated firmware; its address is replaced by the peripheral's random static address.
        clock: what the peripheral's pump and the stack's timeouts run on.
        faults: link faults applied by the peripheral (a ``Disconnect`` drops the link and hides the puck).
        mtu: the ATT MTU the central asks for.
    """

    def __init__(
        self,
        puck: VirtualPuck,
        clock: Clock | None = None,
        *,
        faults: list[Fault] | None = None,
        mtu: int = 247,
    ) -> None:
        super().__init__()
        self.puck = puck
        self.clock: Clock = clock or WallClock()
        self.faults = faults or []
        self.requested_mtu = mtu
        self.link: VirtualLink | None = None
        self.peripheral: PuckPeripheral | None = None
        self.central: BumbleStack | None = None
        self._inner: BleakTransport | None = None

    @property
    def origin_s(self) -> float:
        """Clock reading at which the puck's true time was 0 (valid once connected)."""
        return self.peripheral.origin_s if self.peripheral is not None else self.clock.now()

    async def _build(self) -> BleakTransport:
        if self._inner is not None:
            return self._inner
        self.link = VirtualLink()
        periph_stack = await BumbleStack.open(self.link, name="puck", clock=self.clock)
        self.puck.address = periph_stack.address
        self.peripheral = PuckPeripheral(periph_stack, self.puck, faults=self.faults, clock=self.clock)
        await self.peripheral.start()
        self.central = await BumbleStack.open(self.link, name="host", clock=self.clock)
        self._inner = BleakTransport(
            periph_stack.address,
            name=self.puck.name,
            client_factory=bumble_client_factory(self.central, mtu=self.requested_mtu),
            mtu_settle_s=0.0,
        )
        self._inner.set_disconnected_callback(lambda _t: self._fire_disconnected())
        return self._inner

    async def close(self) -> None:
        """Tear the link down (the peripheral's pump included)."""
        await self.disconnect()
        if self.peripheral is not None:
            await self.peripheral.stop()
        if self.link is not None:
            await self.link.close()

    def _require(self) -> BleakTransport:
        if self._inner is None:
            raise DeviceError(f"{self.puck.name} is not connected: connect first")
        return self._inner

    @property
    def device(self) -> DeviceInfo:
        return DeviceInfo(self.puck.name, self.puck.address, kind="bumble")

    @property
    def is_connected(self) -> bool:
        return self._inner is not None and self._inner.is_connected

    @property
    def mtu(self) -> int:
        return self._inner.mtu if self._inner is not None else 23

    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        await (await self._build()).connect(timeout_s)

    async def disconnect(self) -> None:
        if self._inner is not None:
            await self._inner.disconnect()

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        await self._require().start_notify(char_uuid, callback)

    async def stop_notify(self, char_uuid: str) -> None:
        await self._require().stop_notify(char_uuid)

    async def write(self, char_uuid: str, data: bytes) -> None:
        await self._require().write(char_uuid, data)

    async def read(self, char_uuid: str) -> bytes:
        return await self._require().read(char_uuid)


class PeripheralProcess:
    """The BLE virtual puck in a second process, joined to ``link`` over TCP; its events parsed as they come.

    Use as ``async with PeripheralProcess(link, faults="drop@2+1") as proc``: the process is always ended
    on exit (terminate, then kill), whatever happened (BLE_NOTES pitfall 8). ``device="witmotion"`` or
    ``"polar"`` runs that simulated sensor instead, through the ``repquest simulate --ble --device`` command
    itself (faults: ``drop@S+S`` only).
    """

    def __init__(
        self,
        link: VirtualLink,
        *,
        faults: str = "",
        exercise: str = "knee_extension",
        seed: int = 0,
        device: str = "puck",
    ):
        self.link = link
        self.device = device
        self.args = ["--faults", faults, "--exercise", exercise, "--seed", str(seed)]
        self.events: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> PeripheralProcess:
        port = await self.link.serve_tcp()
        transport = f"tcp-client:127.0.0.1:{port}"
        if self.device == "puck":
            command = ["-m", "repquest.ble.bumble_peripheral", transport]
        else:
            command = ["-m", "repquest", "simulate", "--ble", transport, "--device", self.device]
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, *command, *self.args, stdout=asyncio.subprocess.PIPE
        )
        self._reader = asyncio.get_running_loop().create_task(self._read(self._proc))
        return self

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            with contextlib.suppress(ValueError):
                self.events.append(json.loads(line))
                self._changed.set()

    async def wait_for_event(self, kind: str, timeout_s: float = 15.0, **match: Any) -> dict[str, Any]:
        """The first event of ``kind`` whose fields equal ``match`` (waiting for it at most ``timeout_s``)."""

        async def find() -> dict[str, Any]:
            while True:
                for event in self.events:
                    if event.get("event") == kind and all(event.get(k) == v for k, v in match.items()):
                        return event
                if self._proc is not None and self._proc.returncode is not None:
                    raise DeviceError(f"the peripheral process ended ({self._proc.returncode})")
                self._changed.clear()
                await self._changed.wait()

        return await asyncio.wait_for(find(), timeout_s)

    async def kill(self) -> None:
        """End the process abruptly (its HCI transport is lost mid-link)."""
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            await asyncio.wait_for(self._proc.wait(), 5.0)

    async def __aexit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is not None and proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 5.0)
            except TimeoutError:
                proc.kill()
                await asyncio.wait_for(proc.wait(), 5.0)
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.wait({self._reader})
        await self.link.close()
