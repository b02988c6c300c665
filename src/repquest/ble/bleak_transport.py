"""The real-Bluetooth transport over bleak: the one module of RepQuest that imports bleak.

bleak's exceptions never leave this module: they become :mod:`repquest.errors` types whose messages say
what the user can do. The bleak client and scanner are injectable (``client_factory``, ``discover``) so the
error mapping is unit-tested without Bluetooth."""

from __future__ import annotations

import asyncio
import sys
import warnings
from collections.abc import Awaitable, Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from bleak import BleakClient, BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakCharacteristicNotFoundError,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

from repquest.errors import BluetoothUnavailableError, DeviceError, DeviceNotFoundError, ProtocolError
from repquest.firmware_protocol import DEVICE_NAME_PREFIX, PUCK_SERVICE_UUID
from repquest.firmware_protocol.gatt import BATTERY_SERVICE_UUID

from .transport import DEFAULT_CONNECT_TIMEOUT_S, DeviceInfo, NotifyCallback, Transport

__all__ = ["BleakTransport", "bleak_factory", "device_kind", "scan", "scan_sensors"]

Discover = Callable[..., Awaitable[dict[str, tuple[BLEDevice, AdvertisementData]]]]


class ClientLike(Protocol):
    """The part of ``bleak.BleakClient`` this transport uses (the seam for tests)."""

    @property
    def is_connected(self) -> bool: ...
    @property
    def mtu_size(self) -> int: ...
    async def connect(self, **kwargs: Any) -> None: ...
    async def disconnect(self) -> None: ...
    async def start_notify(self, char_specifier: str, callback: Callable[[Any, bytearray], None]) -> None: ...
    async def stop_notify(self, char_specifier: str) -> None: ...
    async def write_gatt_char(self, char_specifier: str, data: bytes, response: bool) -> None: ...
    async def read_gatt_char(self, char_specifier: str) -> bytearray: ...


ClientFactory = Callable[[BLEDevice | str, Callable[[Any], None], float], ClientLike]


def _bleak_client(
    target: BLEDevice | str, on_disconnect: Callable[[Any], None], timeout_s: float
) -> ClientLike:
    client: ClientLike = BleakClient(target, disconnected_callback=on_disconnect, timeout=timeout_s)
    return client


_UNAVAILABLE_ADVICE = {
    BleakBluetoothNotAvailableReason.NO_BLUETOOTH: "this computer has no Bluetooth adapter: plug one in",
    BleakBluetoothNotAvailableReason.NO_BLE_CENTRAL_ROLE: (
        "this Bluetooth adapter cannot connect to low-energy devices: use a Bluetooth 4.0+ adapter"
    ),
    BleakBluetoothNotAvailableReason.POWERED_OFF: "Bluetooth is off: turn it on in the system settings",
}
_PERMISSION_ADVICE = "RepQuest may not use Bluetooth: allow it in the system's privacy settings"


def map_bleak_error(exc: BaseException, what: str) -> Exception:
    """The repquest error for a bleak (or OS) error raised while doing ``what``."""
    if isinstance(exc, BleakBluetoothNotAvailableError):
        advice = _UNAVAILABLE_ADVICE.get(exc.reason, _PERMISSION_ADVICE)
        return BluetoothUnavailableError(f"cannot {what}: {advice}")
    if isinstance(exc, BleakDeviceNotFoundError):
        return DeviceNotFoundError(
            f"cannot {what}: the puck is not in range; switch it on and bring it closer"
        )
    if isinstance(exc, BleakGATTProtocolError):
        return ProtocolError(f"cannot {what}: the puck rejected the request ({exc})")
    if isinstance(exc, BleakCharacteristicNotFoundError):
        return DeviceError(f"cannot {what}: this is not a RepQuest puck, or its firmware is too old to use")
    if isinstance(exc, BleakDBusError) and exc.dbus_error == "org.bluez.Error.NotReady":
        return BluetoothUnavailableError(
            f"cannot {what}: {_UNAVAILABLE_ADVICE[BleakBluetoothNotAvailableReason.POWERED_OFF]}"
        )
    text = str(exc)
    if "adapter" in text.lower() and ("no " in text.lower() or "not found" in text.lower()):
        return BluetoothUnavailableError(
            f"cannot {what}: no Bluetooth adapter found: plug one in or enable it"
        )
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError | PermissionError):
        return BluetoothUnavailableError(
            f"cannot {what}: the system's Bluetooth service is not reachable ({exc}); "
            "start it (e.g. bluetoothd)"
        )
    if isinstance(exc, BleakDBusError) and exc.dbus_error == "org.bluez.Error.InProgress":
        return DeviceError(f"cannot {what}: Bluetooth is busy with this puck; wait a moment and try again")
    return DeviceError(f"cannot {what}: {text or type(exc).__name__}")


@contextmanager
def _mapped(what: str) -> Iterator[None]:
    try:
        yield
    except (BleakError, OSError) as exc:
        raise map_bleak_error(exc, what) from exc


class BleakTransport(Transport):
    """A :class:`Transport` over bleak to a puck found by a scan (a BLEDevice) or known by address.

    Args:
        target: a BLEDevice from a fresh scan (preferred: BlueZ forgets cached devices) or an address.
        name: the puck's name, for messages.
        client_factory: makes the bleak client (tests pass a fake).
        mtu_settle_s: how long to wait for the OS to report the negotiated MTU (Windows reports it late).
    """

    def __init__(
        self,
        target: BLEDevice | str,
        *,
        name: str | None = None,
        rssi: int | None = None,
        client_factory: ClientFactory = _bleak_client,
        mtu_settle_s: float = 1.0 if sys.platform == "win32" else 0.0,
    ) -> None:
        super().__init__()
        self._target = target
        address = target if isinstance(target, str) else target.address
        label = name or (None if isinstance(target, str) else target.name) or DEVICE_NAME_PREFIX
        self._info = DeviceInfo(label, address, rssi=rssi, kind="ble")
        self._client_factory = client_factory
        self._mtu_settle_s = mtu_settle_s
        self._client: ClientLike | None = None
        self._mtu = 23
        self._closing = False

    @property
    def device(self) -> DeviceInfo:
        return self._info

    @property
    def is_connected(self) -> bool:
        return self._client is not None and self._client.is_connected

    @property
    def mtu(self) -> int:
        return self._mtu

    async def connect(self, timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S) -> None:
        if self.is_connected:
            return
        self._closing = False
        client = self._client_factory(self._target, self._on_bleak_disconnect, timeout_s)
        self._client = client
        try:
            with _mapped(f"connect to {self._info.name}"):
                await asyncio.wait_for(client.connect(), timeout_s)
        except TimeoutError:
            raise TimeoutError(
                f"{self._info.name} did not answer within {timeout_s:.3g} s: bring it closer and try again"
            ) from None
        self._mtu = await self._settled_mtu(client)

    async def _settled_mtu(self, client: ClientLike) -> int:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # BlueZ warns that it reports the default 23 until acquired
            mtu = client.mtu_size
            waited = 0.0
            while mtu <= 23 and waited < self._mtu_settle_s:
                await asyncio.sleep(0.05)
                waited += 0.05
                mtu = client.mtu_size
        return int(mtu)

    async def disconnect(self) -> None:
        client, self._client = self._client, None
        self._closing = True
        if client is not None:
            with _mapped(f"disconnect from {self._info.name}"):
                await client.disconnect()

    def _client_or_raise(self) -> ClientLike:
        if self._client is None or not self._client.is_connected:
            raise DeviceError(f"{self._info.name} is not connected: connect first")
        return self._client

    async def start_notify(self, char_uuid: str, callback: NotifyCallback) -> None:
        client = self._client_or_raise()
        with _mapped(f"subscribe to {self._info.name}"):
            await client.start_notify(char_uuid, lambda _sender, data: callback(bytes(data)))

    async def stop_notify(self, char_uuid: str) -> None:
        client = self._client_or_raise()
        with _mapped(f"unsubscribe from {self._info.name}"):
            await client.stop_notify(char_uuid)

    async def write(self, char_uuid: str, data: bytes) -> None:
        client = self._client_or_raise()
        with _mapped(f"send a command to {self._info.name}"):
            await client.write_gatt_char(char_uuid, bytes(data), response=True)

    async def read(self, char_uuid: str) -> bytes:
        client = self._client_or_raise()
        with _mapped(f"read from {self._info.name}"):
            return bytes(await client.read_gatt_char(char_uuid))

    def _on_bleak_disconnect(self, _client: Any) -> None:
        if not self._closing:
            self._fire_disconnected()


_WITMOTION_SERVICE = "0000ffe5-0000-1000-8000-00805f9a34fb"
_POLAR_PMD_SERVICE = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"


def device_kind(adv: AdvertisementData) -> str | None:
    """Which supported sensor advertises this: "puck", "witmotion", "polar", or None."""
    uuids = {u.lower() for u in adv.service_uuids}
    name = adv.local_name or ""
    if PUCK_SERVICE_UUID in uuids or name.startswith(DEVICE_NAME_PREFIX):
        return "puck"
    if _WITMOTION_SERVICE in uuids or name.startswith(("WT901", "WT9011", "BWT901")):
        return "witmotion"
    if _POLAR_PMD_SERVICE in uuids or name.startswith("Polar "):
        return "polar"
    return None


async def scan_sensors(
    timeout_s: float = 5.0, *, discover: Discover | None = None
) -> list[tuple[DeviceInfo, str]]:
    """Every supported sensor advertising nearby with its kind (puck, witmotion, polar), strongest first."""
    run = discover or BleakScanner.discover
    with _mapped("scan for sensors"):
        found = await run(timeout=timeout_s, return_adv=True)
    sensors = [
        (DeviceInfo(adv.local_name or device.name or "?", device.address, adv.rssi), kind)
        for device, adv in found.values()
        if (kind := device_kind(adv)) is not None
    ]
    return sorted(sensors, key=lambda p: -(p[0].rssi if p[0].rssi is not None else -999))


def _advertised_battery(adv: AdvertisementData) -> int | None:
    """PROTOCOL.md section 1: the battery level as Battery Service data in the advertisement, if present."""
    data = adv.service_data.get(BATTERY_SERVICE_UUID)
    return data[0] if data and data[0] <= 100 else None


async def scan(timeout_s: float = 5.0, *, discover: Discover | None = None) -> list[DeviceInfo]:
    """Pucks advertising nearby, strongest signal first. Waits the whole ``timeout_s``."""
    return [info for info, _ in await _scan(timeout_s, discover)]


async def _scan(
    timeout_s: float, discover: Discover | None, kinds: Collection[str] = ("puck",)
) -> list[tuple[DeviceInfo, BLEDevice]]:
    run = discover or BleakScanner.discover
    with _mapped("scan for pucks" if tuple(kinds) == ("puck",) else "scan for sensors"):
        found = await run(timeout=timeout_s, return_adv=True)
    pucks = [
        (
            DeviceInfo(
                adv.local_name or device.name or DEVICE_NAME_PREFIX,
                device.address,
                adv.rssi,
                _advertised_battery(adv),
            ),
            device,
        )
        for device, adv in found.values()
        if device_kind(adv) in kinds
    ]
    return sorted(pucks, key=lambda p: -(p[0].rssi if p[0].rssi is not None else -999))


def bleak_factory(
    address: str | None = None,
    scan_timeout_s: float = 5.0,
    *,
    discover: Discover | None = None,
    client_factory: ClientFactory = _bleak_client,
    kinds: Collection[str] = ("puck",),
) -> Callable[[], Awaitable[Transport]]:
    """A PuckSession transport factory: scans afresh every time (BlueZ fails to reconnect to cached devices),
    then picks the device of one of ``kinds`` with ``address``, or the strongest one when no address is given.
    Pass ``kinds=("witmotion",)`` etc. with the matching :func:`~.profiles.profile_for` profile."""

    async def find() -> Transport:
        for info, device in await _scan(scan_timeout_s, discover, kinds):
            if address is None or info.address.lower() == address.lower():
                return BleakTransport(device, name=info.name, rssi=info.rssi, client_factory=client_factory)
        wanted = f"puck {address}" if address else "any RepQuest puck"
        raise DeviceNotFoundError(
            f"did not find {wanted} in {scan_timeout_s:.3g} s: switch it on, charge it, bring it closer"
        )

    return find
