"""Helpers of the firmware tests: the tick clock, an MPU-6886 that replays a simulated set, and a puck built
from the firmware's own modules on the stand-in board."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from repquest.firmware_protocol import SampleBlock, decode_notification
from repquest.simulator import SimulatedSet

ROOT = Path(__file__).resolve().parents[2]
FIRMWARE_DIR = ROOT / "firmware"
TICKS_PERIOD = 1 << 30  # MicroPython's ticks_us() and ticks_ms() wrap here


def protocol_vectors() -> ModuleType:
    """tests/firmware_protocol/protocol_vectors.py: the vectors and the fuzz tools the simulator is tested
    with, so the firmware faces the very same ones."""
    if "protocol_vectors" not in sys.modules:
        path = ROOT / "tests" / "firmware_protocol" / "protocol_vectors.py"
        spec = importlib.util.spec_from_file_location("protocol_vectors", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["protocol_vectors"] = module
        spec.loader.exec_module(module)
    return sys.modules["protocol_vectors"]


class TickClock:
    """The board's microsecond clock, moved by the tests. Starts 3 s before ticks_us() wraps."""

    def __init__(self, start_us: int = TICKS_PERIOD - 3_000_000) -> None:
        self.now_us = start_us

    def ticks_us(self) -> int:
        return self.now_us % TICKS_PERIOD

    def ticks_ms(self) -> int:
        return (self.now_us // 1000) % TICKS_PERIOD

    def sleep_ms(self, ms: int) -> None:
        self.now_us += ms * 1000


class StandinFlag:
    """MicroPython's asyncio.ThreadSafeFlag: wait() returns once per set() and clears the flag."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    async def wait(self) -> None:
        await self._event.wait()
        self._event.clear()


@dataclass
class Firmware:
    """The firmware's modules as loaded for one test, the stand-ins they see, and the tick clock."""

    clock: TickClock
    aioble: Any
    bluetooth: Any
    machine: Any
    micropython: Any
    puck_wire: Any
    puck_core: Any
    puck_cues: Any
    puck_imu_mpu6886: Any
    puck_board: Any
    puck_ble: Any


class ReplayMpu6886:
    """An MPU-6886 on the stand-in I2C bus, at +-16 g and +-2000 deg/s, feeling ``motion`` (a simulated set).

    Register reads of the sample block return the set at the clock's time (seconds since ``origin_us``),
    quantised and clipped as the sensor does. ``override`` replaces the 7 raw words (acc, temp, gyr) when set.
    """

    ACC_LSB_PER_G = 2048.0
    GYR_LSB_PER_DPS = 16.4

    def __init__(self, motion: SimulatedSet | None, clock: TickClock, origin_us: int, who_am_i: int = 0x19):
        self.motion = motion
        self.clock = clock
        self.origin_us = origin_us
        self.who_am_i = who_am_i
        self.registers: dict[int, int] = {}
        self.override: tuple[int, ...] | None = None
        self.reads: list[float] = []  # true time of every sample read, seconds
        self.words: list[tuple[int, ...]] = []  # the raw words of every sample read

    def raw_at(self, t_s: float) -> tuple[int, ...]:
        assert self.motion is not None
        acc, gyr, _force = self.motion.sample(np.array([t_s]))
        acc_raw = np.clip(np.rint(acc[0] * self.ACC_LSB_PER_G), -32768, 32767).astype(int)
        gyr_raw = np.clip(np.rint(gyr[0] * self.GYR_LSB_PER_DPS), -32768, 32767).astype(int)
        return (*acc_raw.tolist(), 0, *gyr_raw.tolist())

    def read(self, reg: int, n: int) -> bytes:
        if reg == 0x75:
            return bytes([self.who_am_i])
        if reg == 0x3B and n == 14:
            t_s = (self.clock.now_us - self.origin_us) / 1e6
            self.reads.append(t_s)
            words = self.override if self.override is not None else self.raw_at(t_s)
            self.words.append(words)
            return b"".join(w.to_bytes(2, "big", signed=True) for w in words)
        return bytes(self.registers.get(reg + i, 0) for i in range(n))

    def write(self, reg: int, data: bytes) -> None:
        for i, value in enumerate(data):
            self.registers[reg + i] = value


@dataclass
class BoardPuck:
    """A Puck from puck_core on a puck_board.Board made of stand-in pins, fed by a ReplayMpu6886."""

    fw: Firmware
    imu: ReplayMpu6886
    board: Any
    cues: Any
    puck: Any

    @property
    def timer(self) -> Any:
        return self.fw.machine.TIMERS[0]

    def command(self, data: bytes) -> int:
        return int(self.puck.command(data, self.fw.clock.ticks_us(), self.fw.clock.ticks_ms()))

    def run(self, seconds: float) -> list[bytes]:
        """Let the sample timer fire for ``seconds``; the data notifications the puck finished, in order."""
        out: list[bytes] = []
        end_us = self.fw.clock.now_us + round(seconds * 1e6)
        while self.fw.clock.now_us < end_us:
            if not self.timer.freq:
                self.fw.clock.now_us = end_us
                break
            self.fw.clock.now_us += 1_000_000 // self.timer.freq
            self.timer.fire()
            while (data := self.puck.take()) is not None:
                out.append(data)
        return out


def board_puck(fw: Firmware, motion: SimulatedSet | None, who_am_i: int = 0x19) -> BoardPuck:
    """The firmware's puck as main() assembles it, minus the radio; true time 0 is the clock's now."""
    imu = ReplayMpu6886(motion, fw.clock, fw.clock.now_us, who_am_i)
    fw.machine.I2C_DEVICES[0x68] = imu
    board = fw.puck_board.Board()
    imu.origin_us = fw.clock.now_us  # the driver's start-up pauses moved the clock on
    cues = fw.puck_cues.Cues()
    holder: dict[str, Any] = {}

    def on_timer(_timer: object) -> None:
        holder["puck"].on_sample(fw.clock.ticks_us())

    puck = fw.puck_core.Puck(
        board.imu, cues, board.touched, lambda rate: board.start_sampling(rate, on_timer)
    )
    holder["puck"] = puck
    return BoardPuck(fw, imu, board, cues, puck)


def decode_all(notifications: list[bytes]) -> list[SampleBlock]:
    return [decode_notification(n) for n in notifications]


def unwrapped_times_s(blocks: list[SampleBlock]) -> np.ndarray:
    """Device time of every sample in seconds, unwrapped across the 2**24 us wrap (gaps under 16 s)."""
    times: list[float] = []
    wraps = 0
    last = None
    for block in blocks:
        if last is not None and block.t0_us < last:
            wraps += 1
        last = block.t0_us
        times.extend((block.t_us + wraps * (1 << 24)).tolist())
    return np.array(times, dtype=np.float64) / 1e6
