"""The simulated sensors answer writes from background tasks: they hold those tasks (asyncio keeps only weak
references, so an unheld task can be collected mid-flight) and cancel any still pending when stopped."""

from __future__ import annotations

import asyncio
import gc

import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from repquest.ble import polar_pmd as pmd
from repquest.ble import witmotion as wit
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.ble.bumble_sensors import PERIPHERALS, SensorPeripheral
from repquest.clock import VirtualClock
from repquest.simulator.exercise_models import build_set


async def open_peripheral(kind: str, clock: VirtualClock) -> tuple[SensorPeripheral, VirtualLink]:
    link = VirtualLink()
    stack = await BumbleStack.open(link, name=kind, clock=clock)
    peripheral = PERIPHERALS[kind](stack, build_set("knee_extension", 2, seed=1), clock=clock)
    await peripheral.start()
    return peripheral, link


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("witmotion", b"\xff\xaa\x27" + bytes([wit.RATE_REGISTER]) + b"\x00"),  # register read: a reply
        ("polar", bytes([0x02, pmd.MeasurementType.ACC, 0x00, 0x01, 0x34, 0x00])),  # start: a response
    ],
)
async def test_reply_tasks_are_held_until_done_and_cancelled_on_stop(kind: str, command: bytes) -> None:
    clock = VirtualClock()
    peripheral, link = await open_peripheral(kind, clock)
    handler = peripheral._on_write  # type: ignore[attr-defined]
    handler(command)
    assert len(peripheral._tasks) == 1  # held strongly, not only by the loop's weak set
    gc.collect()
    (task,) = peripheral._tasks
    await asyncio.wait({task})  # no central connected: the notify is a no-op and the task ends
    assert peripheral._tasks == set()  # a finished task lets go of itself

    handler(command)
    (pending,) = peripheral._tasks
    await peripheral.stop()
    assert pending.cancelled()  # stopped before it could notify
    assert peripheral._tasks == set()
    await link.close()
