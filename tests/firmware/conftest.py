"""Load the firmware's own modules under CPython, with the MicroPython modules they import stood in for.

``firmware/`` and ``tests/firmware/standins/`` go on ``sys.path`` for one test; the time functions MicroPython
adds to ``time`` and ``asyncio.ThreadSafeFlag`` are patched in, driven by a fake tick clock. Every test gets
fresh modules (the stand-ins keep per-board registries), and sys.modules is cleaned afterwards.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fw_harness import FIRMWARE_DIR, Firmware, StandinFlag, TickClock

STANDINS = Path(__file__).resolve().parent / "standins"
STANDIN_NAMES = ("aioble", "bluetooth", "machine", "micropython")


def _forget_firmware_modules() -> None:
    for name in list(sys.modules):
        if name in STANDIN_NAMES or name.startswith("puck_"):
            del sys.modules[name]


@pytest.fixture
def fw(monkeypatch: pytest.MonkeyPatch) -> Iterator[Firmware]:
    _forget_firmware_modules()
    monkeypatch.syspath_prepend(str(FIRMWARE_DIR))
    monkeypatch.syspath_prepend(str(STANDINS))
    clock = TickClock()
    monkeypatch.setattr(time, "ticks_us", clock.ticks_us, raising=False)
    monkeypatch.setattr(time, "ticks_ms", clock.ticks_ms, raising=False)
    monkeypatch.setattr(time, "sleep_ms", clock.sleep_ms, raising=False)
    monkeypatch.setattr(asyncio, "ThreadSafeFlag", StandinFlag, raising=False)
    modules = {
        name: importlib.import_module(name)
        for name in (
            *STANDIN_NAMES,
            "puck_wire",
            "puck_core",
            "puck_cues",
            "puck_imu_mpu6886",
            "puck_board",
            "puck_ble",
        )
    }
    yield Firmware(clock=clock, **modules)
    _forget_firmware_modules()
