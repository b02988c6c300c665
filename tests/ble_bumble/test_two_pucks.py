"""Two pucks at once over one bumble link and one central (virtual clock): two sessions side by side on one
loop, each with its slot (label, colour), streaming concurrently with no cross-talk."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from repquest.ble import SLOTS, Connected, PuckSession, TimedBlock, interleave
from repquest.ble.bleak_transport import BleakTransport
from repquest.ble.bumble_backend import bumble_client_factory
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.ble.bumble_peripheral import PuckPeripheral
from repquest.ble.transport import Transport
from repquest.clock import VirtualClock
from repquest.simulator.exercise_models import build_set
from repquest.simulator.puck import VirtualPuck


async def test_two_pucks_stream_concurrently_without_cross_talk() -> None:
    clock = VirtualClock()
    link = VirtualLink()
    central = await BumbleStack.open(link, name="host", clock=clock)
    sessions, peripherals = [], []
    # Device clocks 8 s apart and different motions: any block on the wrong session would show.
    for slot, t0_us, exercise in zip(SLOTS[:2], (0, 8_000_000), ("knee_extension", "leg_raise"), strict=True):
        stack = await BumbleStack.open(link, name=f"puck {slot.label}", clock=clock)
        puck = VirtualPuck(
            build_set(exercise, 3, seed=2),
            name=f"RepQuest {slot.label}",
            address=stack.address,
            device_t0_us=t0_us,
        )
        peripheral = PuckPeripheral(stack, puck, clock=clock)
        await peripheral.start()
        peripherals.append(peripheral)

        def factory(address: str = stack.address, name: str = puck.name) -> Transport:
            return BleakTransport(
                address, name=name, client_factory=bumble_client_factory(central), mtu_settle_s=0.0
            )

        async def make(f=factory) -> Transport:
            return f()

        sessions.append(PuckSession(make, clock=clock, rate_hz=100, slot=slot))

    for session in sessions:
        await session.start()
    got: dict[str, list[TimedBlock]] = {"A": [], "B": []}
    names: dict[str, str] = {}
    async for session, item in interleave(sessions):
        assert session.slot is not None
        if isinstance(item, TimedBlock):
            got[session.slot.label].append(item)
        elif isinstance(item, Connected):
            names[session.slot.label] = item.device.name
        if clock.now() >= 2.0:
            break
    for session in sessions:
        await session.close()

    assert names == {"A": "RepQuest A", "B": "RepQuest B"}
    assert [s.slot.colour for s in sessions if s.slot] == ["blue", "orange"]
    for label, expected_t0_s in (("A", 0.0), ("B", 8.0)):
        blocks = got[label]
        assert len(blocks) > 5
        seqs = [b.block.seq for b in blocks]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # every notification, once, in order
        t0_s = blocks[0].block.t0_us / 1e6
        assert expected_t0_s <= t0_s < expected_t0_s + 2.5  # this puck's own device clock
    for session in sessions:
        assert session.stats.lost == 0
        assert session.stats.duplicates == 0
    acc_a = np.vstack([b.block.acc_g for b in got["A"]])
    acc_b = np.vstack([b.block.acc_g for b in got["B"]])
    assert not np.allclose(acc_a[:40], acc_b[:40])
