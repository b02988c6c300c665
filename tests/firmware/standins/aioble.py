"""Stand-in for aioble, MicroPython's asyncio BLE library: the calls the puck firmware makes, carried by a
radio the test picks (:class:`MemoryRadio` here, where the test plays the central; a bumble stack in
test_fw_bumble.py, where bleak does).

Like the real library on a MicroPython peripheral, a write to a characteristic is always acknowledged: the
firmware can only look at it afterwards, through ``written()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Protocol

CONFIG: dict[str, Any] = {}


class Radio(Protocol):
    def register(self, services: Iterable[Service]) -> None: ...

    async def advertise(self, adv_data: bytes, resp_data: bytes) -> DeviceConnection: ...

    def notify(self, characteristic: Characteristic, connection: DeviceConnection, data: bytes) -> None: ...


radio: Radio | None = None  # set by the test before the firmware registers its services


class Service:
    def __init__(self, uuid: Any) -> None:
        self.uuid = uuid
        self.characteristics: list[Characteristic] = []


class Characteristic:
    def __init__(
        self,
        service: Service,
        uuid: Any,
        read: bool = False,
        write: bool = False,
        write_no_response: bool = False,
        notify: bool = False,
        indicate: bool = False,
        initial: bytes | None = None,
        capture: bool = False,
    ) -> None:
        service.characteristics.append(self)
        self.uuid = uuid
        self.can_read, self.can_write, self.can_notify = read, write or write_no_response, notify
        self.capture = capture
        self.value = bytes(initial or b"")
        self._writes: asyncio.Queue[tuple[DeviceConnection | None, bytes]] = asyncio.Queue()

    def read(self) -> bytes:
        return self.value

    def write(self, data: bytes, send_update: bool = False) -> None:
        self.value = bytes(data)

    def notify(self, connection: DeviceConnection, data: bytes | None = None) -> None:
        if not self.can_notify:
            raise ValueError("Not supported")
        assert radio is not None
        radio.notify(self, connection, self.value if data is None else bytes(data))

    async def written(self, timeout_ms: int | None = None) -> Any:
        connection, data = await self._writes.get()
        return (connection, data) if self.capture else connection

    def remote_write(self, connection: DeviceConnection | None, data: bytes) -> None:
        """A central wrote ``data`` (the radio calls this)."""
        assert self.can_write
        self.value = bytes(data)
        self._writes.put_nowait((connection, self.value))


class DeviceConnection:
    def __init__(self, mtu: int | None = None) -> None:
        self.mtu = mtu  # None until an MTU exchange, as in aioble
        self._conn_handle: int | None = 1
        self._lost = asyncio.Event()

    def is_connected(self) -> bool:
        return self._conn_handle is not None

    async def disconnected(self, timeout_ms: int | None = 60_000, disconnect: bool = False) -> None:
        await self._lost.wait()

    def lost(self) -> None:
        """The link dropped (the radio calls this)."""
        self._conn_handle = None
        self._lost.set()


def register_services(*services: Service) -> None:
    assert radio is not None, "pick a radio before the firmware registers its services"
    radio.register(services)


def config(**kwargs: Any) -> None:
    CONFIG.update(kwargs)


async def advertise(
    interval_us: int, adv_data: bytes | None = None, resp_data: bytes | None = None, **kwargs: Any
) -> DeviceConnection:
    assert radio is not None
    assert adv_data is not None
    assert len(adv_data) <= 31, "a legacy advertisement holds 31 bytes"
    assert len(resp_data or b"") <= 31, "so does a scan response"
    return await radio.advertise(bytes(adv_data), bytes(resp_data or b""))


class MemoryRadio:
    """A central played by the test: connect, write, read, disconnect; notifications are recorded."""

    def __init__(self) -> None:
        self.chars: dict[str, Characteristic] = {}
        self.advertising: tuple[bytes, bytes] | None = None
        self.connection: DeviceConnection | None = None
        self.notifications: list[tuple[str, bytes]] = []
        self._incoming: asyncio.Future[DeviceConnection] | None = None

    def register(self, services: Iterable[Service]) -> None:
        self.chars = {str(c.uuid): c for s in services for c in s.characteristics}

    async def advertise(self, adv_data: bytes, resp_data: bytes) -> DeviceConnection:
        self.advertising = (adv_data, resp_data)
        self._incoming = asyncio.get_running_loop().create_future()
        try:
            return await self._incoming
        finally:
            self.advertising = None

    def connect(self, mtu: int | None = None) -> DeviceConnection:
        assert self._incoming is not None, "the puck is not advertising"
        assert self.advertising is not None, "the puck is not advertising"
        self.connection = DeviceConnection(mtu)
        self._incoming.set_result(self.connection)
        return self.connection

    def disconnect(self) -> None:
        assert self.connection is not None
        self.connection.lost()

    def write(self, uuid: str, data: bytes) -> None:
        self.chars[uuid].remote_write(self.connection, data)

    def read(self, uuid: str) -> bytes:
        assert self.chars[uuid].can_read
        return self.chars[uuid].read()

    def notify(self, characteristic: Characteristic, connection: DeviceConnection, data: bytes) -> None:
        if not connection.is_connected():
            raise OSError(128, "ENOTCONN")
        self.notifications.append((str(characteristic.uuid), data))
