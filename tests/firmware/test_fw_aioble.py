"""The whole firmware as main() assembles it (puck_ble.PuckServer on puck_board.Board), on the stand-in
aioble with the test as the central: advertising, GATT reads, commands, notifications, disconnection."""

from __future__ import annotations

import asyncio
import runpy
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from typing import Any

import pytest
from fw_harness import FIRMWARE_DIR, Firmware, ReplayMpu6886

import repquest.firmware_protocol as fp
from repquest.firmware_protocol import gatt
from repquest.simulator import build_set


@dataclass
class Rig:
    fw: Firmware
    radio: Any
    server: Any

    async def settle(self) -> None:
        for _ in range(10):
            await asyncio.sleep(0)

    async def tick(self, n: int) -> None:
        timer = self.fw.machine.TIMERS[0]
        for _ in range(n):
            self.fw.clock.now_us += 1_000_000 // timer.freq
            timer.fire()
            await self.settle()

    async def write(self, data: bytes) -> None:
        self.radio.write(fp.CONTROL_CHAR_UUID, data)
        await self.settle()

    def notified(self, uuid: str) -> list[bytes]:
        return [data for char, data in self.radio.notifications if char == uuid]


@pytest.fixture
async def rig(fw: Firmware) -> AsyncIterator[Rig]:
    fw.machine.I2C_DEVICES[0x68] = ReplayMpu6886(
        build_set("knee_extension", 2, seed=6), fw.clock, fw.clock.now_us
    )
    fw.aioble.radio = fw.aioble.MemoryRadio()
    server = fw.puck_ble.build(fw.puck_board.Board())
    task = asyncio.get_running_loop().create_task(server.run())
    rig = Rig(fw, fw.aioble.radio, server)
    await rig.settle()
    yield rig
    for t in [task, *server.tasks]:
        t.cancel()
    await asyncio.gather(task, *server.tasks, return_exceptions=True)


async def test_advertises_name_service_and_battery_and_serves_the_gatt_profile(rig: Rig) -> None:
    adv, response = rig.radio.advertising
    assert fp.PUCK_SERVICE_UUID.replace("-", "") in bytes(reversed(adv[5:21])).hex()
    assert adv[-3:] == bytes([0x0F, 0x18, 70])  # Battery service data: 70 %
    assert response[2:].decode() == "RepQuest Puck B2C3"
    assert rig.fw.aioble.CONFIG["mtu"] == 247
    assert rig.radio.read(gatt.FIRMWARE_REVISION_UUID).decode() == "1.0.0"
    assert rig.radio.read(gatt.MODEL_NUMBER_UUID).decode() == "M5StickC Plus2"
    assert rig.radio.read(gatt.SERIAL_NUMBER_UUID).decode() == "240AC4A1B2C3"
    assert rig.radio.read(gatt.BATTERY_LEVEL_UUID) == bytes([70])
    status = fp.parse_status(rig.radio.read(fp.STATUS_CHAR_UUID))
    assert status.firmware_version == "1.0.0"
    assert not status.streaming
    assert rig.server.cues.pattern == fp.LedPattern.PULSE  # a slow swell: switched on, waiting
    rig.radio.connect(mtu=23)
    await rig.settle()
    assert rig.server.cues.pattern == fp.LedPattern.OFF  # connected: the app decides


async def test_a_battery_change_is_notified_on_status_and_battery_level(rig: Rig) -> None:
    rig.radio.connect(mtu=23)
    await rig.settle()
    rig.server.puck.set_battery(12, False)
    rig.server.wake.set()
    await rig.settle()
    (record,) = rig.notified(fp.STATUS_CHAR_UUID)
    assert fp.parse_status(record).battery_pct == 12
    assert fp.parse_status(record).errors == frozenset({"battery_low"})
    assert rig.notified(gatt.BATTERY_LEVEL_UUID) == [bytes([12])]
    assert rig.radio.read(gatt.BATTERY_LEVEL_UUID) == bytes([12])


async def test_streams_at_the_asked_rate_in_mtu_sized_batches(rig: Rig) -> None:
    rig.radio.connect(mtu=247)
    await rig.settle()
    await rig.write(fp.set_rate(200))
    await rig.write(fp.start_stream())
    assert rig.fw.machine.TIMERS[0].freq == 200
    await rig.tick(45)
    blocks = [fp.decode_notification(n) for n in rig.notified(fp.DATA_CHAR_UUID)]
    assert [(b.seq, len(b), b.rate_hz) for b in blocks] == [(0, 15, 200), (1, 15, 200), (2, 15, 200)]
    await rig.write(fp.request_status())
    (record,) = rig.notified(fp.STATUS_CHAR_UUID)
    status = fp.parse_status(record)
    assert (status.streaming, status.rate_hz, status.samples_per_notification) == (True, 200, 15)


async def test_a_malformed_command_is_ignored_and_the_stream_goes_on(rig: Rig) -> None:
    rig.radio.connect(mtu=23)
    await rig.write(fp.start_stream())
    await rig.tick(2)
    await rig.write(b"\x01\x09")  # unknown opcode: the board cannot answer ATT error 0x81, so it ignores it
    await rig.write(b"\x01\x03\x19\x00")  # SET_RATE 25 Hz: out of range
    assert rig.server.refused == 2
    await rig.tick(2)
    seqs = [fp.decode_notification(n).seq for n in rig.notified(fp.DATA_CHAR_UUID)]
    assert seqs == [0, 1, 2, 3]
    assert rig.fw.machine.TIMERS[0].freq == 100


async def test_disconnection_stops_the_stream_and_a_new_connection_continues_the_sequence(rig: Rig) -> None:
    rig.radio.connect(mtu=23)
    await rig.write(fp.start_stream())
    await rig.tick(3)
    rig.radio.disconnect()
    await rig.settle()
    assert not rig.server.puck.streaming
    assert rig.fw.machine.TIMERS[0].freq == 0
    assert rig.radio.advertising is not None  # findable again
    rig.radio.connect(mtu=23)
    await rig.write(fp.start_stream())
    await rig.tick(2)
    seqs = [fp.decode_notification(n).seq for n in rig.notified(fp.DATA_CHAR_UUID)]
    assert seqs == [0, 1, 2, 3, 4]


async def test_cue_commands_reach_the_cues_clamped(rig: Rig) -> None:
    rig.radio.connect(mtu=23)
    await rig.write(bytes([1, 4, 255, 0, 0, 2]) + (100).to_bytes(2, "little"))  # pulse every 100 ms: too fast
    assert rig.server.cues.period_ms == 334
    await rig.write(fp.vibrate(50, 200, 2))
    assert rig.server.cues.buzz(rig.fw.clock.ticks_ms()) == 50


def test_main_py_holds_the_power_on_before_it_starts_the_puck(
    fw: Firmware, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_when_started: list[int] = []
    monkeypatch.setattr(fw.puck_ble, "main", lambda: hold_when_started.append(fw.machine.PINS[4].level))
    runpy.run_path(str(FIRMWARE_DIR / "main.py"))
    assert hold_when_started == [1]


@pytest.mark.parametrize("sensor_answers", [True, False])
def test_main_builds_the_puck_on_the_board_and_runs_it(
    fw: Firmware, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sensor_answers: bool
) -> None:
    if sensor_answers:
        fw.machine.I2C_DEVICES[0x68] = ReplayMpu6886(None, fw.clock, fw.clock.now_us)
    fw.aioble.radio = fw.aioble.MemoryRadio()
    ran: list[str] = []

    def run(coro: Coroutine[Any, Any, Any]) -> None:
        ran.append(coro.__qualname__)
        coro.close()

    monkeypatch.setattr(fw.puck_ble.asyncio, "run", run)
    fw.puck_ble.main()
    assert ran == ["PuckServer.run"]
    out = capsys.readouterr().out
    assert "puck: advertising as RepQuest Puck B2C3" in out
    assert ("IMU fault" in out) is not sensor_answers
