"""``repquest stream --address`` scans once and picks the device profile from the kind the scan heard."""

from __future__ import annotations

import io
from collections.abc import Collection

import pytest

from repquest import live
from repquest.ble import bleak_transport
from repquest.ble.transport import DeviceInfo

HEARD = [
    (DeviceInfo("RepQuest Puck 1A2B", "AA:00:00:00:00:01", -50), "puck"),
    (DeviceInfo("WT901BLE68", "AA:00:00:00:00:02", -60), "witmotion"),
    (DeviceInfo("Polar Sense B5A3E92F", "aa:00:00:00:00:03", -70), "polar"),
]


@pytest.fixture
def factories(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, tuple[str, ...]]]:
    """Fake the scan (HEARD) and record what bleak_factory was asked to find."""
    asked: list[tuple[str | None, tuple[str, ...]]] = []

    async def scan_sensors(timeout_s: float = 5.0, **_kw: object) -> list[tuple[DeviceInfo, str]]:
        assert timeout_s == live.PLAY_SCAN_S
        return HEARD

    def bleak_factory(
        address: str | None = None, *_a: object, kinds: Collection[str] = ("puck",), **_kw: object
    ):
        asked.append((address, tuple(kinds)))

        async def never() -> object:
            raise AssertionError("the factory is not called while choosing the profile")

        return never

    monkeypatch.setattr(bleak_transport, "scan_sensors", scan_sensors)
    monkeypatch.setattr(bleak_transport, "bleak_factory", bleak_factory)
    return asked


@pytest.mark.parametrize(
    ("address", "kind", "rate_hz", "expected_rate"),
    [
        ("AA:00:00:00:00:01", "puck", 200, 200),
        ("aa:00:00:00:00:02", "witmotion", 100, 100),  # addresses compare without case
        ("AA:00:00:00:00:02", "witmotion", 400, 100),  # above WitMotion's 200 Hz: its usual rate
        ("AA:00:00:00:00:03", "polar", 100, 52),  # Polar streams at its own rate
    ],
)
async def test_the_scanned_kind_chooses_the_profile(
    factories: list[tuple[str | None, tuple[str, ...]]],
    address: str,
    kind: str,
    rate_hz: int,
    expected_rate: int,
) -> None:
    out = io.StringIO()
    _factory, label, profile = await live._sensor_source(address, rate_hz, out)
    assert profile.kind == kind
    assert profile.rate_hz == expected_rate
    assert label == f"{kind} {address}"
    assert factories == [(address, (kind,))]  # the session's own scans look for that kind only
    assert f"{address} is a {kind} sensor" in out.getvalue()


async def test_an_address_not_heard_is_taken_for_a_puck(
    factories: list[tuple[str | None, tuple[str, ...]]],
) -> None:
    out = io.StringIO()
    _factory, label, profile = await live._sensor_source("AA:00:00:00:00:99", 100, out)
    assert profile.kind == "puck"
    assert label == "puck AA:00:00:00:00:99"
    assert factories == [("AA:00:00:00:00:99", ("puck",))]
    assert out.getvalue() == ""  # nothing claimed about a device the scan did not hear
