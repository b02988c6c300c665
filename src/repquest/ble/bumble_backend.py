"""A bleak backend over bumble's host stack: the ordinary ``BleakClient`` / ``BleakScanner`` API on a software
BLE stack (a virtual link in tests, a USB dongle driven directly, any bumble transport).

Pass the classes through bleak's public ``backend=`` seam with the stack as a keyword argument, which bleak
forwards to the backend::

    stack = await BumbleStack.open("usb:0")
    async with BleakClient(address, backend=BumbleClient, bumble=stack) as client: ...
    found = await BleakScanner.discover(2.0, return_adv=True, backend=BumbleScanner, bumble=stack)

It is a bleak backend, so it imports bleak (beside :mod:`.bleak_transport`); all bumble use goes through
:mod:`.bumble_link`. What it takes from bleak beyond the documented backend ABCs is the GATT object model
(``BleakGATTServiceCollection`` and friends) and the scanner's ``create_or_update_device`` /
``call_detection_callbacks`` helpers; ``tests/ble_bumble/test_bumble_seam.py`` fails loudly if an upgrade
changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bleak.args import SizedBuffer
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError

from .bumble_link import AttError, BumbleStack, GattLink, LinkError, ScanReport
from .transport import DEFAULT_CONNECT_TIMEOUT_S

__all__ = ["BumbleClient", "BumbleScanner", "bumble_client_factory", "bumble_discover"]

_CCCD = "00002902-0000-1000-8000-00805f9b34fb"
_DEFAULT_MTU = 247


def _stack_of(kwargs: dict[str, Any]) -> BumbleStack:
    stack = kwargs.get("bumble")
    if not isinstance(stack, BumbleStack):
        raise BleakError("the bumble backend needs bumble=<BumbleStack> (see repquest.ble.bumble_backend)")
    return stack


def _bleak_error(exc: LinkError) -> BleakError:
    if isinstance(exc, AttError):
        return BleakGATTProtocolError(exc.code)
    return BleakError(str(exc))


class BumbleScanner(BaseBleakScanner):
    """``BleakScanner`` backend: advertisements seen by the bumble host."""

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._stack = _stack_of(kwargs)
        self._active = scanning_mode != "passive"
        self._running = False

    async def start(self) -> None:
        self.seen_devices = {}
        try:
            await self._stack.start_scan(self._on_report, active=self._active)
        except LinkError as exc:
            raise _bleak_error(exc) from exc
        self._running = True

    async def stop(self) -> None:
        if self._running:
            self._running = False
            try:
                await self._stack.stop_scan(self._on_report)
            except LinkError as exc:
                raise _bleak_error(exc) from exc

    def _on_report(self, report: ScanReport) -> None:
        if not self.is_allowed_uuid(list(report.service_uuids)):
            return
        adv = AdvertisementData(
            local_name=report.name,
            manufacturer_data=dict(report.manufacturer_data),
            service_data={},
            service_uuids=list(report.service_uuids),
            tx_power=report.tx_power,
            rssi=report.rssi,
            platform_data=(report,),
        )
        device = self.create_or_update_device(report.address, report.address, report.name, report, adv)
        self.call_detection_callbacks(device, adv)


class BumbleClient(BaseBleakClient):
    """``BleakClient`` backend: one GATT connection through the bumble host."""

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        disconnected_callback: Callable[[], None] | None = None,
        timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
        **kwargs: Any,
    ) -> None:
        super().__init__(address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout)
        self._stack = _stack_of(kwargs)
        self._mtu_wanted = int(kwargs.get("mtu", _DEFAULT_MTU))
        self._link: GattLink | None = None
        self._name = (
            address_or_ble_device.name if isinstance(address_or_ble_device, BLEDevice) else None
        ) or self.address

    @property
    def name(self) -> str:
        return self._name

    @property
    def mtu_size(self) -> int:
        return self._link.mtu if self._link is not None else 23

    @property
    def is_connected(self) -> bool:
        return self._link is not None and self._link.is_connected

    async def connect(self, pair: bool = False, **kwargs: Any) -> None:
        timeout_s = float(kwargs.get("timeout", self._timeout))
        try:
            link = await self._stack.connect(self.address, timeout_s)
        except LinkError as exc:
            raise BleakDeviceNotFoundError(self.address, str(exc)) from exc
        self._link = link
        try:
            await link.exchange_mtu(self._mtu_wanted)
            self.services = self._collection(await link.discover())
        except LinkError as exc:
            await link.disconnect()
            self._link = None
            raise _bleak_error(exc) from exc
        link.on_disconnect(self._on_link_lost)

    def _collection(self, remote: list[Any]) -> BleakGATTServiceCollection:
        services = BleakGATTServiceCollection()
        for rs in remote:
            service = BleakGATTService(rs, rs.handle, rs.uuid)
            services.add_service(service)
            for rc in rs.characteristics:
                char = BleakGATTCharacteristic(
                    rc, rc.handle, rc.uuid, list(rc.properties), lambda: self.mtu_size - 3, service
                )
                services.add_characteristic(char)
                for handle, uuid in rc.descriptors:
                    services.add_descriptor(BleakGATTDescriptor(None, handle, uuid, char))
        return services

    def _on_link_lost(self, _reason: int) -> None:
        self._link = None
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            await link.disconnect()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("pairing is not needed by RepQuest pucks")

    async def unpair(self) -> None:
        raise NotImplementedError("pairing is not needed by RepQuest pucks")

    def _require(self) -> GattLink:
        if self._link is None or not self._link.is_connected:
            raise BleakError(f"{self.address} is not connected")
        return self._link

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        try:
            return bytearray(await self._require().read(characteristic.handle))
        except LinkError as exc:
            raise _bleak_error(exc) from exc

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        try:
            return bytearray(await self._require().read(descriptor.handle))
        except LinkError as exc:
            raise _bleak_error(exc) from exc

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        try:
            await self._require().write(characteristic.handle, bytes(data), response=response)
        except LinkError as exc:
            raise _bleak_error(exc) from exc

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: SizedBuffer) -> None:
        try:
            await self._require().write(descriptor.handle, bytes(data), response=True)
        except LinkError as exc:
            raise _bleak_error(exc) from exc

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        try:
            await self._require().subscribe(characteristic.handle, lambda data: callback(bytearray(data)))
        except LinkError as exc:
            raise _bleak_error(exc) from exc

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        try:
            await self._require().unsubscribe(characteristic.handle)
        except LinkError as exc:
            raise _bleak_error(exc) from exc


def bumble_client_factory(stack: BumbleStack, mtu: int = _DEFAULT_MTU) -> Callable[..., Any]:
    """A :class:`~repquest.ble.bleak_transport.BleakTransport` ``client_factory`` over ``stack``."""
    from bleak import BleakClient

    def make(target: BLEDevice | str, on_disconnect: Callable[[Any], None], timeout_s: float) -> Any:
        return BleakClient(
            target,
            disconnected_callback=on_disconnect,
            timeout=timeout_s,
            backend=BumbleClient,
            bumble=stack,
            mtu=mtu,
        )

    return make


def bumble_discover(stack: BumbleStack) -> Callable[..., Any]:
    """A ``discover`` for :func:`~repquest.ble.bleak_transport.scan` / ``bleak_factory`` over ``stack``."""
    from bleak import BleakScanner

    async def discover(**kwargs: Any) -> dict[str, tuple[BLEDevice, AdvertisementData]]:
        run: Any = BleakScanner.discover  # its overloads do not know backend keyword arguments
        found: dict[str, tuple[BLEDevice, AdvertisementData]] = await run(
            backend=BumbleScanner, bumble=stack, **kwargs
        )
        return found

    return discover
