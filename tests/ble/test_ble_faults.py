"""Fault injection: each fault does what it says, counts it, and is reproducible from its seed."""

from __future__ import annotations

import itertools

from repquest.firmware_protocol import DATA_CHAR_UUID, STATUS_CHAR_UUID, decode_notification
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


def emissions(swinging_limb, seconds: float = 10.0) -> list[Emission]:
    puck = VirtualPuck(swinging_limb, mtu=23)
    puck.streaming = True
    return puck.advance_to(seconds)


def run(fault, items: list[Emission], batch: int = 7) -> list:
    out = []
    for i in range(0, len(items), batch):
        out += fault.apply(items[i : i + batch], now_s=items[i].t_s)
    return out


def seqs(items) -> list[int]:
    return [
        decode_notification(e.data).seq
        for e in items
        if isinstance(e, Emission) and e.char_uuid == DATA_CHAR_UUID
    ]


def test_packet_loss_drops_about_p_and_logs_each(swinging_limb) -> None:
    items = emissions(swinging_limb)
    loss = PacketLoss(probability=0.1, seed=1)
    out = run(loss, items)
    assert len(out) + loss.count == len(items)
    assert 0.07 < loss.count / len(items) < 0.13
    assert set(seqs(out)).isdisjoint(seqs(loss.injected))
    again = PacketLoss(probability=0.1, seed=1)
    assert seqs(run(again, items)) == seqs(out)


def test_duplicate_and_reorder(swinging_limb) -> None:
    items = emissions(swinging_limb, 5.0)
    dup = Duplicate(probability=0.1, seed=2)
    out = seqs(run(dup, items))
    assert len(out) == len(items) + dup.count
    assert dup.count > 0
    reorder = Reorder(probability=0.1, seed=3)
    out = seqs(run(reorder, items))
    assert sorted(out) == seqs(items)[: len(out)]
    swaps = sum(1 for a, b in itertools.pairwise(out) if b < a)
    assert swaps == reorder.count - (len(items) - len(out))  # a swap still held at the end is not out yet


def test_corrupt_truncate_is_always_rejected(swinging_limb) -> None:
    items = emissions(swinging_limb, 5.0)
    corrupt = CorruptBytes(probability=0.2, seed=4)
    out = run(corrupt, items)
    bad = [e for e in out if len(e.data) != len(items[0].data)]
    assert len(bad) == corrupt.count > 0
    flip = CorruptBytes(probability=1.0, seed=5, mode="flip")
    flipped = run(flip, items[:50])
    assert all(
        sum(bin(a ^ b).count("1") for a, b in zip(e.data, o.data, strict=True)) == 1
        for e, o in zip(flipped, items[:50], strict=True)
    )


def test_stall_delays_and_loses_nothing(swinging_limb) -> None:
    items = emissions(swinging_limb, 10.0)
    stall = Stall(start_s=2.0, duration_s=1.5)
    out = run(stall, items)
    assert seqs(out) == seqs(items)
    assert stall.count == sum(1 for e in items if 2.0 <= e.t_s < 3.5)
    assert all(e.t_s == 3.5 for e in out if e in stall.injected or e.t_s == 3.5)


def test_disconnect_marks_the_drop_and_swallows_the_outage(swinging_limb) -> None:
    items = emissions(swinging_limb, 10.0)
    items.insert(300, Emission(items[300].t_s, STATUS_CHAR_UUID, b"status"))
    drop = Disconnect(at_s=4.0, outage_s=2.0)
    out = run(FaultChain([PacketLoss(0.0), drop]), items)
    marks = [i for i in out if isinstance(i, LinkDrop)]
    assert marks == [LinkDrop(4.0, 6.0)]
    gone = [e for e in items if 4.0 <= e.t_s < 6.0]
    assert drop.count == len([e for e in gone if e.char_uuid == DATA_CHAR_UUID])
    assert all(not (4.0 <= e.t_s < 6.0) for e in out if isinstance(e, Emission))


def test_chain_summary_counts_each_fault(swinging_limb) -> None:
    items = emissions(swinging_limb, 10.0)
    chain = FaultChain([PacketLoss(0.1, seed=1), Duplicate(0.1, seed=2), PacketLoss(0.1, seed=3)])
    run(chain, items)
    summary = chain.summary()
    assert set(summary) == {"PacketLoss", "Duplicate"}
    assert summary["PacketLoss"] == chain.faults[0].injected.__len__() + chain.faults[2].injected.__len__()
