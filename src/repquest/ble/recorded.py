"""Recording and replaying a puck link, by composition over the one transport seam.

:class:`TeeTransport` wraps any transport and writes every notification (and every read) to a recording as
it passes; :class:`ReplayTransport` plays a recording back as if the puck were live, so ``repquest replay``
runs the same decode, integrity, clock-mapping and session code as a real puck.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from repquest.clock import Clock
from repquest.errors import DeviceError, DeviceNotFoundError
from repquest.firmware_protocol import STATUS_CHAR_UUID
from repquest.recording import Recording, RecordingWriter

from .transport import DEFAULT_CONNECT_TIMEOUT_S, DeviceInfo, NotifyCallback, Transport

__all__ = ["ReplayTransport", "TeeTransport"]


class TeeTransport(Transport):
    """Passes everything through to ``inner`` and appends what the puck sent to ``writer``."""

    def __init__(self, inner: Transport, writer: RecordingWriter, clock: Clock) -> None:
        super().__init__()
        self.inner = inner
        self.writer = writer
        self.clock = clock
        self.origin_s = clock.now()
        inner.set_disconnected_callback(lambda _t: self._fire_disconnected())

    @property
    def device(self) -> DeviceInfo:
        return self.inner.device

    @property
    def is_connected(self) -> bool:
        return self.inner.is_connected

    @property
    def mtu(self) -> int:
        return self.inner.mtu

    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        await self.inner.connect(timeout_s)

    async def disconnect(self) -> None:
        await self.inner.disconnect()

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        def tee(data: bytes) -> None:
            self.writer.add(self.clock.now() - self.origin_s, char_uuid, bytes(data))
            callback(data)

        await self.inner.start_notify(char_uuid, tee)

    async def stop_notify(self, char_uuid: str) -> None:
        await self.inner.stop_notify(char_uuid)

    async def write(self, char_uuid: str, data: bytes) -> None:
        await self.inner.write(char_uuid, data)

    async def read(self, char_uuid: str) -> bytes:
        data = await self.inner.read(char_uuid)
        self.writer.add(self.clock.now() - self.origin_s, char_uuid, data, op="read")
        return data


class ReplayTransport(Transport):
    """A recording played back on ``clock`` at the pace it was recorded.

    Writes are accepted and ignored (a recording cannot obey commands); reads answer with the value recorded
    for that characteristic. ``finished`` is set once every notification has been delivered.
    """

    def __init__(self, recording: Recording, clock: Clock) -> None:
        super().__init__()
        self.recording = recording
        self.clock = clock
        self.finished = asyncio.Event()
        self.delivered = 0
        self._connected = False
        self._subscribers: dict[str, NotifyCallback] = {}
        self._pump: asyncio.Task[None] | None = None
        self._origin_s = 0.0
        dev = recording.device
        self._device = DeviceInfo(
            name=str(dev.get("name", "recording")), address=str(dev.get("address", "")), kind="virtual"
        )

    def factory(self) -> Callable[[], Awaitable[Transport]]:
        async def find() -> Transport:
            if self.finished.is_set():
                raise DeviceNotFoundError("the recording has ended")
            return self

        return find

    @property
    def device(self) -> DeviceInfo:
        return self._device

    @property
    def is_connected(self) -> bool:
        return self._connected

    @property
    def mtu(self) -> int:
        return int(self.recording.device.get("mtu", 247))

    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        if self._connected:
            return
        self._connected = True
        self._origin_s = self.clock.now()
        self._pump = asyncio.get_running_loop().create_task(self._play(), name="replay")

    async def disconnect(self) -> None:
        self._connected = False
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            await asyncio.wait({pump})

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        self._subscribers[char_uuid] = callback

    async def stop_notify(self, char_uuid: str) -> None:
        self._subscribers.pop(char_uuid, None)

    async def write(self, char_uuid: str, data: bytes) -> None:
        if not self._connected:
            raise DeviceError("the replay is not connected")

    async def read(self, char_uuid: str) -> bytes:
        if not self._connected:
            raise DeviceError("the replay is not connected")
        for note in self.recording.notifications:
            if note.char_uuid == char_uuid and (note.op == "read" or char_uuid == STATUS_CHAR_UUID):
                return note.data
        raise DeviceError(f"the recording holds no value of characteristic {char_uuid}")

    async def _play(self) -> None:
        for note in self.recording.notifications:
            if note.op != "notify":
                continue
            wait_s = self._origin_s + note.t_s - self.clock.now()
            if wait_s > 0:
                await self.clock.sleep(wait_s)
            callback = self._subscribers.get(note.char_uuid)
            if callback is not None:
                callback(note.data)
                self.delivered += 1
        self.finished.set()
