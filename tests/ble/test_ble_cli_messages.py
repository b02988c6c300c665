"""Bluetooth off or absent: `repquest scan` and `repquest stream --address` print one clear line, exit 1, and
show no traceback; `play` says so and falls back to the virtual puck. Faked at the discover seam."""

from __future__ import annotations

import pytest
from bleak.exc import BleakBluetoothNotAvailableError, BleakBluetoothNotAvailableReason, BleakError

from repquest import cli, live
from repquest.ble import bleak_transport


def _scanner_raising(exc: BaseException) -> type:
    class FakeScanner:
        @staticmethod
        async def discover(**_kwargs: object) -> dict[str, object]:
            raise exc

    return FakeScanner


CASES = [
    (
        BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF),
        "Bluetooth is off",
    ),
    (BleakBluetoothNotAvailableError("none", BleakBluetoothNotAvailableReason.NO_BLUETOOTH), "Bluetooth"),
    (BleakError("No Bluetooth adapters found."), "no Bluetooth adapter found"),
]


@pytest.mark.parametrize(("exc", "says"), CASES)
@pytest.mark.parametrize("argv", [["scan", "--timeout", "0.1"], ["stream", "--address", "AA:BB:CC:DD:EE:FF"]])
def test_bluetooth_off_or_absent_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exc: BaseException,
    says: str,
    argv: list[str],
) -> None:
    monkeypatch.setattr(bleak_transport, "BleakScanner", _scanner_raising(exc))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"repquest {argv[0]}: ")
    assert says in lines[0]


def test_play_says_bluetooth_is_unavailable_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    off = BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.POWERED_OFF)
    monkeypatch.setattr(bleak_transport, "BleakScanner", _scanner_raising(off))
    lines: list[str] = []

    class Out:
        def write(self, text: str) -> int:
            lines.append(text)
            return len(text)

    assert live._find_real_puck(Out()) is None  # type: ignore[arg-type]
    assert any("Bluetooth is not available" in line and "Bluetooth is off" in line for line in lines)
