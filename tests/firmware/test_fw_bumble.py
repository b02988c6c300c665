"""End to end: the firmware's own modules serve their notifications over a bumble link, and the app's real
path (PuckSession -> BleakTransport -> bleak -> our bumble backend -> HCI -> virtual controllers) reads them.

The sample timer fires on the wall clock, so this test waits on wall time (a few seconds, every wait bounded).
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from fw_harness import Firmware, ReplayMpu6886

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from fw_bumble_radio import BumbleRadio

from repquest.ble import PuckSession, ReconnectPolicy, TimedBlock
from repquest.ble.bleak_transport import bleak_factory, scan
from repquest.ble.bumble_backend import bumble_client_factory, bumble_discover
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.simulator import build_set

STREAM_S = 2.5


async def fire_on_wall_time(fw: Firmware) -> None:
    """Fire the stand-in sample timer at its rate on the loop's clock (catching up after a late wake), and keep
    the board's tick clock on the same time."""
    loop = asyncio.get_running_loop()
    origin_s, origin_us, fired = loop.time(), fw.clock.now_us, 0
    while True:
        timer = fw.machine.TIMERS.get(0)
        period_us = 1_000_000 // timer.freq if timer is not None and timer.freq else 10_000
        due = int((loop.time() - origin_s) * 1e6) // period_us
        while fired < due:
            fired += 1
            fw.clock.now_us = origin_us + fired * period_us
            if timer is not None:
                timer.fire()
        await asyncio.sleep(0.002)
        if timer is None or not timer.freq:  # not streaming: restart the count when it starts again
            origin_s, origin_us, fired = loop.time(), fw.clock.now_us, 0


async def test_bleak_reads_the_firmwares_notifications_over_bumble(fw: Firmware) -> None:
    motion = build_set("knee_extension", 2, seed=8)
    imu = ReplayMpu6886(motion, fw.clock, fw.clock.now_us)
    fw.machine.I2C_DEVICES[0x68] = imu
    link = VirtualLink()
    puck_stack = await BumbleStack.open(link, name="firmware puck")
    central = await BumbleStack.open(link, name="host")
    radio = BumbleRadio(puck_stack, fw.aioble)
    fw.aioble.radio = radio
    server = fw.puck_ble.build(fw.puck_board.Board())
    loop = asyncio.get_running_loop()
    tasks = [loop.create_task(server.run()), loop.create_task(fire_on_wall_time(fw))]
    policy = ReconnectPolicy(initial_delay_s=0.1, max_delay_s=0.5, max_attempts=5, seed=1)
    factory = bleak_factory(
        None, 0.5, discover=bumble_discover(central), client_factory=bumble_client_factory(central)
    )
    session = PuckSession(factory, rate_hz=200, policy=policy)
    blocks = []
    try:
        found = await scan(0.5, discover=bumble_discover(central))
        assert [d.address for d in found] == [puck_stack.address]
        assert found[0].name.startswith("RepQuest")

        await session.start()

        async def consume() -> None:
            end_s = None
            async for item in session:
                if isinstance(item, TimedBlock):
                    blocks.append(item.block)
                    end_s = end_s or loop.time() + STREAM_S
                if end_s is not None and loop.time() >= end_s:
                    return

        await asyncio.wait_for(consume(), STREAM_S + 20.0)
        stats = session.stats
    finally:
        await session.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await radio.close()
        await central.close()
        await puck_stack.close()
        await link.close()

    print(
        f"firmware over bumble: {len(blocks)} notifications, {sum(map(len, blocks))} samples, lost {stats.lost}"
    )
    assert len(blocks) > 10
    assert {(b.rate_hz, len(b)) for b in blocks} == {(200, 15)}  # the session asked 200 Hz and MTU 247
    seqs = [b.seq for b in blocks]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert stats.lost == 0
    # Exactly the sensor's words, in order from the first sample the firmware streamed.
    acc_counts = np.concatenate([b.acc_g for b in blocks]) * 2048
    gyr_counts = np.concatenate([b.gyr_dps for b in blocks]) * 16
    first = seqs[0] * 15
    words = np.array(imu.words[first : first + len(acc_counts)])
    np.testing.assert_array_equal(acc_counts, words[:, 0:3])
    expected_gyr = [[fw.puck_imu_mpu6886.gyro_counts(int(v)) for v in row] for row in words[:, 4:7]]
    np.testing.assert_array_equal(gyr_counts, expected_gyr)
