"""BleakTransport without Bluetooth: a fake bleak client through the constructor seam; error mapping."""

from __future__ import annotations

from typing import Any

import pytest
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakCharacteristicNotFoundError,
    BleakDBusError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

from repquest import firmware_protocol as fp
from repquest.ble.bleak_transport import BleakTransport, bleak_factory, map_bleak_error, scan
from repquest.errors import BluetoothUnavailableError, DeviceError, DeviceNotFoundError, ProtocolError
from repquest.firmware_protocol.gatt import BATTERY_SERVICE_UUID


class FakeClient:
    def __init__(
        self, target: Any, on_disconnect: Any, timeout_s: float, *, fail: BaseException | None = None
    ):
        self.on_disconnect = on_disconnect
        self.fail = fail
        self.connected = False
        self.mtu_size = 185
        self.writes: list[tuple[str, bytes, bool]] = []
        self.subs: dict[str, Any] = {}

    @property
    def is_connected(self) -> bool:
        return self.connected

    async def connect(self, **kwargs: Any) -> None:
        if self.fail:
            raise self.fail
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False

    async def start_notify(self, char: str, callback: Any) -> None:
        self.subs[char] = callback

    async def stop_notify(self, char: str) -> None:
        self.subs.pop(char)

    async def write_gatt_char(self, char: str, data: bytes, response: bool) -> None:
        if data == b"bad":
            raise BleakGATTProtocolError(0x13)
        self.writes.append((char, data, response))

    async def read_gatt_char(self, char: str) -> bytearray:
        raise BleakCharacteristicNotFoundError(char)


def transport_with(**kw: Any) -> tuple[BleakTransport, list[FakeClient]]:
    made: list[FakeClient] = []

    def factory(target: Any, on_disconnect: Any, timeout_s: float) -> FakeClient:
        made.append(FakeClient(target, on_disconnect, timeout_s, **kw))
        return made[-1]

    return BleakTransport("AA:BB:CC:DD:EE:FF", name="RepQuest Puck 7", client_factory=factory), made


async def test_happy_path_writes_with_response_and_delivers_bytes() -> None:
    transport, made = transport_with()
    got: list[bytes] = []
    async with transport:
        assert transport.is_connected
        assert transport.mtu == 185
        await transport.start_notify(fp.DATA_CHAR_UUID, got.append)
        await transport.write(fp.CONTROL_CHAR_UUID, fp.start_stream())
        made[0].subs[fp.DATA_CHAR_UUID](object(), bytearray(b"\x01\x02"))
    assert got == [b"\x01\x02"]
    assert isinstance(got[0], bytes)
    assert made[0].writes == [(fp.CONTROL_CHAR_UUID, fp.start_stream(), True)]
    assert not transport.is_connected


async def test_errors_are_mapped_and_say_what_to_do() -> None:
    transport, _made = transport_with()
    await transport.connect()
    with pytest.raises(ProtocolError, match="rejected"):
        await transport.write(fp.CONTROL_CHAR_UUID, b"bad")
    with pytest.raises(DeviceError, match="not a RepQuest puck"):
        await transport.read(fp.STATUS_CHAR_UUID)
    await transport.disconnect()
    with pytest.raises(DeviceError, match="connect first"):
        await transport.write(fp.CONTROL_CHAR_UUID, b"x")


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        (
            BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF),
            BluetoothUnavailableError,
            "turn it on",
        ),
        (
            BleakBluetoothNotAvailableError("x", BleakBluetoothNotAvailableReason.DENIED_BY_USER),
            BluetoothUnavailableError,
            "allow it",
        ),
        (
            BleakBluetoothNotAvailableError("x", BleakBluetoothNotAvailableReason.NO_BLUETOOTH),
            BluetoothUnavailableError,
            "plug one in",
        ),
        (BleakDeviceNotFoundError("AA"), DeviceNotFoundError, "bring it closer"),
        (BleakDBusError("org.bluez.Error.NotReady", []), BluetoothUnavailableError, "turn it on"),
        (BleakDBusError("org.bluez.Error.InProgress", []), DeviceError, "try again"),
        (BleakError("No Bluetooth adapters found."), BluetoothUnavailableError, "adapter"),
        (FileNotFoundError("/run/dbus/system_bus_socket"), BluetoothUnavailableError, "bluetoothd"),
        (BleakError("something odd"), DeviceError, "something odd"),
    ],
)
async def test_connect_error_mapping(error: BaseException, expected: type[Exception], words: str) -> None:
    transport, _ = transport_with(fail=error)
    with pytest.raises(expected, match=words) as info:
        await transport.connect()
    assert not isinstance(info.value, BleakError)
    assert map_bleak_error(error, "x").__class__ is expected


async def test_disconnect_callback_fires_only_for_unrequested_drops() -> None:
    transport, made = transport_with()
    fired: list[object] = []
    transport.set_disconnected_callback(fired.append)
    await transport.connect()
    made[0].on_disconnect(made[0])
    assert fired == [transport]
    await transport.disconnect()
    made[0].on_disconnect(made[0])  # bleak also calls back after a requested disconnect
    assert fired == [transport]


class Dev:
    def __init__(self, address: str, name: str | None) -> None:
        self.address, self.name = address, name


class Adv:
    def __init__(
        self, name: str | None, uuids: list[str], rssi: int, service_data: dict[str, bytes] | None = None
    ) -> None:
        self.local_name, self.service_uuids, self.rssi = name, uuids, rssi
        self.service_data = service_data or {}


async def test_scan_filters_on_our_service_and_sorts_by_signal() -> None:
    async def discover(**kwargs: Any) -> dict[str, Any]:
        assert kwargs["return_adv"] is True
        return {
            "1": (Dev("11", "Headphones"), Adv("Headphones", [], -30)),
            "2": (Dev("22", None), Adv(None, [fp.PUCK_SERVICE_UUID.upper()], -80)),
            "3": (Dev("33", None), Adv("RepQuest Puck 3", [], -50, {BATTERY_SERVICE_UUID: bytes([64])})),
        }

    found = await scan(1.0, discover=discover)
    assert [d.address for d in found] == ["33", "22"]
    assert [d.battery_pct for d in found] == [64, None]  # from the advertisement's battery service data
    transport = await bleak_factory("22", discover=discover)()
    assert transport.device.address == "22"
    with pytest.raises(DeviceNotFoundError, match="switch it on"):
        await bleak_factory("99", discover=discover)()


async def test_scan_maps_adapter_errors() -> None:
    async def discover(**kwargs: Any) -> dict[str, Any]:
        raise BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF)

    with pytest.raises(BluetoothUnavailableError, match="turn it on"):
        await scan(1.0, discover=discover)
