"""The one transport seam: what a puck link must do, whoever implements it (bleak, the virtual puck, bumble).

Shaped after bleak's ``BleakClient`` so the bleak implementation is thin: an async context manager with
connect / disconnect, notifications delivered to plain callbacks on the event loop, writes with response and a
disconnect callback. Game, session and DSP code see only this interface.
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self

__all__ = ["DEFAULT_CONNECT_TIMEOUT_S", "DeviceInfo", "DisconnectCallback", "NotifyCallback", "Transport"]

DEFAULT_CONNECT_TIMEOUT_S = 10.0

NotifyCallback = Callable[[bytes], None]
"""Called on the event loop with each notification's bytes. Must not block; must not await."""

DisconnectCallback = Callable[["Transport"], None]
"""Called on the event loop when the link drops without :meth:`Transport.disconnect` being asked for."""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """A puck found by a scan or behind a transport.

    Attributes:
        name: advertised name.
        address: Bluetooth address (a UUID on macOS).
        rssi: received signal strength in dBm, if a scan measured it.
        battery_pct: battery charge in percent, if known.
        kind: which implementation reaches it.
    """

    name: str
    address: str
    rssi: int | None = None
    battery_pct: int | None = None
    kind: Literal["ble", "virtual", "bumble"] = "ble"


class Transport(abc.ABC):
    """A GATT link to one puck.

    Implementations raise :class:`repquest.errors.DeviceError` subclasses (never backend exceptions):
    ``DeviceNotFoundError`` when the puck cannot be reached, ``BluetoothUnavailableError`` when the adapter is
    missing or off, ``DeviceError`` for I/O on a link that is down, and ``TimeoutError`` for a connect that
    took longer than its timeout."""

    def __init__(self) -> None:
        self._disconnected_callback: DisconnectCallback | None = None

    @property
    @abc.abstractmethod
    def device(self) -> DeviceInfo:
        """The puck this transport talks to."""

    @property
    @abc.abstractmethod
    def is_connected(self) -> bool:
        """True while the link is up."""

    @property
    @abc.abstractmethod
    def mtu(self) -> int:
        """Negotiated ATT MTU in bytes (23 until negotiated)."""

    @abc.abstractmethod
    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        """Open the link, discover services and negotiate the MTU; at most ``timeout_s`` seconds."""

    @abc.abstractmethod
    async def disconnect(self) -> None:
        """Close the link (idempotent). Does not fire the disconnect callback."""

    @abc.abstractmethod
    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        """Subscribe to notifications of ``char_uuid``; subscribe before asking the puck to stream."""

    @abc.abstractmethod
    async def stop_notify(self, char_uuid: str) -> None:
        """Unsubscribe from ``char_uuid``."""

    @abc.abstractmethod
    async def write(self, char_uuid: str, data: bytes) -> None:
        """Write with response; raises ProtocolError if the puck rejects the bytes."""

    @abc.abstractmethod
    async def read(self, char_uuid: str) -> bytes:
        """Read a characteristic's value."""

    def set_disconnected_callback(self, callback: DisconnectCallback | None) -> None:
        """Register what to call when the link drops on its own (one callback; None removes it)."""
        self._disconnected_callback = callback

    def _fire_disconnected(self) -> None:
        if self._disconnected_callback is not None:
            self._disconnected_callback(self)

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()
