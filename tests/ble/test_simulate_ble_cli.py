"""``repquest simulate --ble TRANSPORT --device puck|witmotion|polar``: which peripheral goes on the air, with
what options; mistakes are usage errors said before anything is advertised. (The second-process end-to-end
run of the sensors through this command is in tests/ble_bumble/test_sensor_process_e2e.py.)"""

from __future__ import annotations

import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from repquest import cli
from repquest.ble import bumble_peripheral, bumble_sensors


@pytest.fixture
def advertised(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    calls: dict[str, list[str]] = {}

    def fake(name: str):
        def main(argv: list[str] | None = None) -> int:
            calls[name] = list(argv or [])
            return 0

        return main

    monkeypatch.setattr(bumble_peripheral, "main", fake("puck"))
    monkeypatch.setattr(bumble_sensors, "main", fake("sensor"))
    return calls


SIMULATE = ["simulate", "--exercise", "leg_raise", "--reps", "4", "--seed", "7", "--ble", "usb:0"]
OPTIONS = ["--exercise", "leg_raise", "--reps", "4", "--seed", "7"]


@pytest.mark.parametrize("kind", ["witmotion", "polar"])
def test_a_sensor_kind_goes_on_the_air_as_that_sensor(advertised: dict[str, list[str]], kind: str) -> None:
    assert cli.main([*SIMULATE, "--device", kind, "--faults", "drop@3+1"]) == 0
    assert advertised == {"sensor": [kind, "usb:0", *OPTIONS, "--faults", "drop@3+1"]}


def test_the_puck_is_the_default_device(advertised: dict[str, list[str]]) -> None:
    assert cli.main([*SIMULATE, "--faults", "stall@2+1,loss:0.1"]) == 0
    assert advertised == {"puck": ["usb:0", *OPTIONS, "--faults", "stall@2+1,loss:0.1"]}


def test_a_sensor_only_simulates_link_drops(
    advertised: dict[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*SIMULATE, "--device", "polar", "--faults", "stall@2+1"]) == cli.EXIT_USAGE
    assert "only drop the link" in capsys.readouterr().err
    assert advertised == {}


def test_device_without_ble_is_a_usage_error(
    advertised: dict[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["simulate", "--exercise", "leg_raise", "--reps", "2", "--device", "witmotion"])
    assert code == cli.EXIT_USAGE
    assert "--ble" in capsys.readouterr().err
    assert advertised == {}


def test_parse_drops_reads_drop_faults_as_pairs() -> None:
    assert bumble_sensors.parse_drops("drop@1.5+0.5, drop@4") == [(1.5, 0.5), (4.0, 1.0)]
    assert bumble_sensors.parse_drops("") == []
