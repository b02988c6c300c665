"""PuckSession end to end on a virtual clock: loss, a disconnect, reconnects, timestamps against truth."""

from __future__ import annotations

import numpy as np
import pytest

from repquest import firmware_protocol as fp
from repquest.ble import (
    BatteryLow,
    Connected,
    Disconnected,
    PuckSession,
    Reconnecting,
    ReconnectPolicy,
    StatusChanged,
    TimedBlock,
    VirtualTransport,
)
from repquest.ble.integrity import nearest_congruent
from repquest.clock import VirtualClock
from repquest.errors import ConnectionLostError, DeviceError, DeviceNotFoundError
from repquest.simulator.exercise_models import build_set
from repquest.simulator.faults import (
    CorruptBytes,
    Disconnect,
    Duplicate,
    FaultChain,
    LinkDrop,
    PacketLoss,
    Reorder,
    Stall,
)
from repquest.simulator.puck import Emission, VirtualPuck


class Tap:
    """First in a chain: remembers every data notification the puck sent, by sequence number."""

    def __init__(self) -> None:
        self.injected: list[Emission] = []
        self.sent: dict[int, bytes] = {}

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        for e in emissions:
            if e.char_uuid == fp.DATA_CHAR_UUID:
                self.sent[fp.decode_notification(e.data).seq] = e.data
        return list(emissions)


def seqs_of(emissions: list[Emission]) -> set[int]:
    return {fp.decode_notification(e.data).seq for e in emissions}


async def collect(session: PuckSession, clock: VirtualClock, until_s: float) -> tuple[list[TimedBlock], list]:
    blocks: list[TimedBlock] = []
    events: list = []
    async with session:
        async for item in session:
            if isinstance(item, TimedBlock):
                blocks.append(item)
            else:
                events.append(item)
            if clock.now() >= until_s:
                break
    async for item in session:  # after close, what was already queued still comes out, then the end
        (blocks if isinstance(item, TimedBlock) else events).append(item)
    return blocks, events


@pytest.mark.parametrize(("mtu", "seconds", "ppm"), [(247, 60.0, 100.0), (23, 20.0, -100.0)])
async def test_knee_extension_set_with_loss_and_a_disconnect(mtu: int, seconds: float, ppm: float) -> None:
    clock = VirtualClock()
    motion = build_set("knee_extension", 10, seed=7)
    puck = VirtualPuck(motion, clock_ppm=ppm, device_t0_us=9_000_000)
    tap, loss = Tap(), PacketLoss(probability=0.02, seed=11)
    outage = Disconnect(at_s=seconds / 3, outage_s=2.5)
    transport = VirtualTransport(puck, clock, mtu=mtu, faults=FaultChain([tap, loss, outage]), jitter_s=0.002)
    session = PuckSession(transport.factory(), clock=clock, rate_hz=100, policy=ReconnectPolicy(seed=3))

    blocks, events = await collect(session, clock, seconds)

    kinds = [type(e) for e in events]
    assert kinds[0] is Connected
    assert Disconnected in kinds
    assert kinds.count(Connected) == 2
    assert Reconnecting in kinds
    assert StatusChanged in kinds
    # Every delivered notification exactly once, in order, byte-identical to what the puck sent.
    seqs = [b.block.seq for b in blocks]
    assert seqs == sorted(set(seqs))
    for b in blocks:
        assert b.block.same_samples(fp.decode_notification(tap.sent[b.block.seq]))
    # Everything not delivered is accounted for by the faults, and the session counted exactly that.
    last = seqs[-1]
    dropped = {s for s in seqs_of(loss.injected) if s <= last}
    down = {s for s in seqs_of(outage.injected) | seqs_of(transport.undelivered) if s <= last}
    assert set(seqs) | dropped | down == set(range(seqs[0], last + 1))
    assert not (set(seqs) & (dropped | down))
    stats = session.stats
    assert stats.lost == len(dropped) + len(down) == sum(b.lost_before for b in blocks)
    assert len(outage.injected) > 0
    assert len(dropped) > 0
    assert stats.received == len(blocks)
    assert stats.reconnects == 1
    assert stats.duplicates == stats.stale == stats.corrupt == stats.overflow == 0
    # Host timestamps against the truth: the true time of each sample, from the puck's own clock model.
    host = np.concatenate([b.host_t_s for b in blocks])
    approx_dev = puck.device_t0_us + host * 1e6 * (1 + ppm * 1e-6)
    dev = np.array(
        [
            nearest_congruent(int(u), a)
            for u, a in zip(np.concatenate([b.block.t_us for b in blocks]), approx_dev, strict=True)
        ]
    )
    truth = (dev - puck.device_t0_us) / (1e6 * (1 + ppm * 1e-6))
    error_ms = (host - truth) * 1e3
    assert np.all(np.diff(host) > 0)
    assert np.max(np.abs(error_ms)) < 10.0  # a connection interval (7.5 ms) plus jitter (2 ms), at worst
    assert np.percentile(np.abs(error_ms[len(error_ms) // 5 :]), 50) < 5.0
    assert session.mapper.reanchors == 0


async def test_corrupt_duplicate_reordered_are_counted_and_never_delivered() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=1), mtu=23)
    corrupt, dup, reorder = CorruptBytes(0.03, seed=1), Duplicate(0.03, seed=2), Reorder(0.03, seed=3)
    transport = VirtualTransport(puck, clock, mtu=23, faults=FaultChain([dup, reorder, corrupt]))
    session = PuckSession(transport.factory(), clock=clock)
    blocks, _ = await collect(session, clock, 15.0)
    seqs = [b.block.seq for b in blocks]
    assert seqs == sorted(set(seqs))
    stats = session.stats
    assert corrupt.count - 1 <= stats.corrupt <= corrupt.count  # one may still be in flight at the end
    assert stats.corrupt > 0
    assert stats.duplicates > 0
    assert stats.stale > 0
    assert stats.lost == seqs[-1] - seqs[0] + 1 - len(seqs)


async def test_a_stall_delays_but_loses_nothing() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=2))
    stall = Stall(start_s=3.0, duration_s=3.0)
    transport = VirtualTransport(puck, clock, faults=stall)
    session = PuckSession(transport.factory(), clock=clock)
    _blocks, events = await collect(session, clock, 12.0)
    assert stall.count > 0
    assert session.stats.lost == 0
    assert not any(isinstance(e, Disconnected) for e in events)


async def test_a_silent_link_is_treated_as_dropped() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=2))
    transport = VirtualTransport(puck, clock, faults=Stall(start_s=3.0, duration_s=8.0))
    session = PuckSession(transport.factory(), clock=clock, data_timeout_s=2.0)
    _, events = await collect(session, clock, 14.0)
    reasons = [e.reason for e in events if isinstance(e, Disconnected)]
    assert reasons
    assert reasons[0].startswith("no data")
    assert session.stats.reconnects >= 1


async def test_a_slow_consumer_overflows_into_loss() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=3), mtu=23)
    transport = VirtualTransport(puck, clock, mtu=23)
    async with PuckSession(transport.factory(), clock=clock, queue_blocks=20) as session:
        await clock.sleep(3.0)  # nobody reads: 300 notifications arrive
        items = [item async for item in _take(session, 40)]
    blocks = [i for i in items if isinstance(i, TimedBlock)]
    assert session.stats.overflow > 250
    assert session.stats.lost == session.stats.overflow
    assert sum(b.lost_before for b in blocks) == session.stats.overflow


async def _take(session: PuckSession, n: int):
    async for item in session:
        yield item
        n -= 1
        if n == 0:
            return


async def _drain(session: PuckSession, out: list) -> None:
    async for item in session:
        out.append(item)


async def test_gives_up_after_the_policy_and_ends_with_connection_lost() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=4))
    transport = VirtualTransport(puck, clock, faults=Disconnect(at_s=2.0, outage_s=1000.0))
    policy = ReconnectPolicy(initial_delay_s=0.5, max_attempts=3, seed=1)
    events = []
    async with PuckSession(transport.factory(), clock=clock, policy=policy) as session:
        with pytest.raises(ConnectionLostError, match="could not reconnect after 3 attempts"):
            await _drain(session, events)
    finals = [e for e in events if isinstance(e, Disconnected) and e.final]
    assert len(finals) == 1
    assert [e.attempt for e in events if isinstance(e, Reconnecting)] == [1, 2, 3]


async def test_first_connect_failure_raises() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=4))
    transport = VirtualTransport(puck, clock, faults=Disconnect(at_s=0.0, outage_s=1000.0))
    with pytest.raises(DeviceNotFoundError, match="switch it on"):
        async with PuckSession(transport.factory(), clock=clock):
            pass


async def test_commands_and_battery_low() -> None:
    clock = VirtualClock()
    puck = VirtualPuck(build_set("knee_extension", 3, seed=5), battery_pct=14.0)
    transport = VirtualTransport(puck, clock)
    async with PuckSession(transport.factory(), clock=clock, rate_hz=200) as session:
        items = [item async for item in _take(session, 10)]
        await session.send(fp.vibrate(40, 200, 1))
        await session.send(fp.set_led(0, 255, 0))
    assert any(isinstance(i, BatteryLow) and i.battery_pct == 14 for i in items)
    assert puck.rate_hz == 200
    assert puck.vibrations[-1][1:] == (40, 200, 1)
    assert puck.led[:3] == (0, 255, 0)
    assert not puck.streaming  # close() stops the stream
    with pytest.raises(DeviceError):
        await session.send(fp.vibrate())
