"""The seams this project relies on in bleak and bumble: an upgrade that breaks one fails here, loudly."""

from __future__ import annotations

import inspect
from importlib.metadata import version

import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.scanner import BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection

from repquest import firmware_protocol as fp
from repquest.ble.bumble_backend import BumbleClient, BumbleScanner
from repquest.ble.bumble_link import BumbleStack, VirtualLink, bumble_version
from repquest.ble.bumble_peripheral import att_error_for, parse_faults
from repquest.errors import ProtocolError

VERIFIED = {"bleak": "3.1.0", "bumble": "0.0.236"}


def test_versions_are_the_verified_ones() -> None:
    """bumble is 0.0.x and changes between releases: re-run this suite before moving the pins."""
    assert version("bleak") == VERIFIED["bleak"]
    assert bumble_version() == VERIFIED["bumble"]


def test_backend_implements_every_abstract_method() -> None:
    assert not getattr(BumbleClient, "__abstractmethods__", set())
    assert not getattr(BumbleScanner, "__abstractmethods__", set())
    assert issubclass(BumbleClient, BaseBleakClient)
    assert issubclass(BumbleScanner, BaseBleakScanner)


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (BleakGATTService, ["obj", "handle", "uuid"]),
        (
            BleakGATTCharacteristic,
            ["obj", "handle", "uuid", "properties", "max_write_without_response_size", "service"],
        ),
        (BleakGATTDescriptor, ["obj", "handle", "uuid", "characteristic"]),
    ],
)
def test_bleak_gatt_model_constructors_are_unchanged(cls: type, params: list[str]) -> None:
    assert list(inspect.signature(cls.__init__).parameters)[1:] == params


def test_bleak_scanner_helpers_we_call_exist() -> None:
    for name in ("create_or_update_device", "call_detection_callbacks", "is_allowed_uuid"):
        assert callable(getattr(BaseBleakScanner, name))
    for name in ("add_service", "add_characteristic", "add_descriptor"):
        assert callable(getattr(BleakGATTServiceCollection, name))


async def test_bleak_forwards_backend_keyword_arguments() -> None:
    """Our stack reaches the backend through bleak's public constructors."""
    stack = await BumbleStack.open(VirtualLink())
    client = BleakClient("C0:00:00:00:00:01", backend=BumbleClient, bumble=stack)
    assert client.backend_id == "BumbleClient"
    scanner = BleakScanner(backend=BumbleScanner, bumble=stack)
    assert scanner.backend_id == "BumbleScanner"
    await stack.close()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x02\x01", 0x80),
        (b"\x01\xee", 0x81),
        (b"\x01\x03\x10", 0x82),
        (b"\x01\x03\x2c\x01", 0x83),
    ],
)
def test_rejected_commands_get_the_att_error_of_section_4_1(data: bytes, code: int) -> None:
    with pytest.raises(ProtocolError) as caught:
        fp.parse_command(data)
    assert att_error_for(data, caught.value) == code


def test_fault_specs_parse() -> None:
    kinds = [type(f).__name__ for f in parse_faults("drop@2+1,stall@3+0.5,garbage:0.1,loss:0.02")]
    assert kinds == ["Disconnect", "Stall", "CorruptBytes", "PacketLoss"]
    with pytest.raises(ValueError, match="bad fault"):
        parse_faults("explode@1")
