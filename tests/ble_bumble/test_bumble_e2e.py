"""End to end through the real BLE path: PuckSession -> BleakTransport -> bleak -> our bumble backend -> HCI ->
virtual controllers -> TCP -> the virtual puck peripheral in a SECOND PROCESS.

These tests wait on wall time because a real second process streams on it; every wait is bounded. Speed
figures are printed (``pytest -s``) and belong in benchmarks, never in assertions.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import numpy as np
import pytest

pytest.importorskip("bumble", reason="bumble (the ble-sim extra) is not installed on this platform")

from repquest import firmware_protocol as fp
from repquest.ble import Connected, Disconnected, PuckSession, ReconnectPolicy, TimedBlock
from repquest.ble.bleak_transport import bleak_factory, scan
from repquest.ble.bumble_backend import bumble_client_factory, bumble_discover
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.ble.bumble_local import PeripheralProcess


@dataclass
class Run:
    seqs: list[int] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    events: list[object] = field(default_factory=list)
    connected_at: list[float] = field(default_factory=list)
    dropped_at: list[float] = field(default_factory=list)
    samples: int = 0


async def stream(session: PuckSession, proc: PeripheralProcess, seconds: float, on_block=None) -> Run:
    """Run the session for ``seconds`` of wall time, recording sequence numbers and latencies."""
    loop = asyncio.get_running_loop()
    origin_s = (await proc.wait_for_event("advertising"))["origin_s"]
    run = Run()
    await session.start()
    end_s = loop.time() + seconds

    async def consume() -> None:
        async for item in session:
            now_s = loop.time()
            if isinstance(item, TimedBlock):
                block = item.block
                run.seqs.append(block.seq)
                run.samples += len(block)
                # Device time = true time (no drift) modulo 2^24 us; the last sample left at its own time.
                last_us = (block.t0_us + (len(block) - 1) * 1_000_000 // block.rate_hz) % (1 << 24)
                sent_s = origin_s + last_us / 1e6
                while sent_s + 16.777216 <= now_s:
                    sent_s += 16.777216
                run.latencies_s.append(now_s - sent_s)
                if on_block is not None:
                    await on_block(len(run.seqs))
            else:
                run.events.append(item)
                if isinstance(item, Connected):
                    run.connected_at.append(now_s)
                elif isinstance(item, Disconnected):
                    run.dropped_at.append(now_s)
            if now_s >= end_s:
                return

    try:
        await asyncio.wait_for(consume(), seconds + 20.0)
    finally:
        await session.close()
    return run


def report(name: str, run: Run, session: PuckSession, seconds: float) -> dict[str, float]:
    lat = np.array(run.latencies_s) * 1e3
    reconnect_s = [c - d for d, c in zip(run.dropped_at, run.connected_at[1:], strict=False)]
    figures = {
        "notifications_per_s": len(run.seqs) / seconds,
        "samples_per_s": run.samples / seconds,
        "lost": session.stats.lost,
        "corrupt": session.stats.corrupt,
        "duplicates": session.stats.duplicates,
        "latency_ms_p50": float(np.percentile(lat, 50)),
        "latency_ms_p99": float(np.percentile(lat, 99)),
        "reconnect_s": max(reconnect_s) if reconnect_s else 0.0,
        "reconnects": session.stats.reconnects,
    }
    print(name, json.dumps(figures))
    return figures


def make_session(central: BumbleStack, rate_hz: int = 100, **kwargs) -> PuckSession:
    factory = bleak_factory(
        None, 0.3, discover=bumble_discover(central), client_factory=bumble_client_factory(central)
    )
    policy = ReconnectPolicy(initial_delay_s=0.1, max_delay_s=0.5, max_attempts=30, seed=1)
    return PuckSession(factory, rate_hz=rate_hz, policy=policy, **kwargs)


async def test_scan_connect_stream_and_commands_observed_by_the_peripheral() -> None:
    link = VirtualLink()
    async with PeripheralProcess(link) as proc:
        central = await BumbleStack.open(link, name="host")
        advertised = await proc.wait_for_event("advertising")
        found = await scan(0.3, discover=bumble_discover(central))
        assert [d.address for d in found] == [advertised["address"]]
        assert found[0].name.startswith("RepQuest")

        session = make_session(central, rate_hz=200)

        async def commands(n: int) -> None:
            if n == 20:
                await session.send(fp.set_led(0, 128, 255, fp.LedPattern.PULSE, 500))
                await session.send(fp.vibrate(70, 120, 2))

        run = await stream(session, proc, 3.0, commands)
        figures = report("clean", run, session, 3.0)

        assert isinstance(run.events[0], Connected)
        assert run.events[0].mtu == 247
        await proc.wait_for_event("command", opcode="SET_RATE", params={"rate_hz": 200})
        await proc.wait_for_event("command", opcode="START_STREAM")
        led = await proc.wait_for_event("command", opcode="SET_LED")
        assert led["params"] == {"red": 0, "green": 128, "blue": 255, "pattern": "PULSE", "period_ms": 500}
        await proc.wait_for_event(
            "command", opcode="VIBRATE", params={"strength_pct": 70, "duration_ms": 120, "repeat": 2}
        )
        await proc.wait_for_event("command", opcode="STOP_STREAM")
        assert run.seqs == list(range(run.seqs[0], run.seqs[0] + len(run.seqs)))  # nothing lost or repeated
        assert session.stats.lost == 0
        assert session.stats.duplicates == 0
        assert figures["samples_per_s"] > 0


async def test_drop_stall_and_garbage_reconnect_count_losses_and_never_duplicate() -> None:
    link = VirtualLink()
    async with PeripheralProcess(link, faults="drop@2.5+1.0,stall@5.5+0.6,garbage:0.03", seed=5) as proc:
        central = await BumbleStack.open(link, name="host")
        session = make_session(central, rate_hz=100, data_timeout_s=3.0)
        run = await stream(session, proc, 8.0)
        report("faults", run, session, 8.0)

        await proc.wait_for_event("dropped")
        assert any(isinstance(e, Disconnected) and not e.final for e in run.events)
        assert session.stats.reconnects >= 1
        assert len(run.connected_at) >= 2
        # Never a sample twice, never out of order; every sequence number in the span is delivered or lost.
        assert run.seqs == sorted(set(run.seqs))
        span = run.seqs[-1] - run.seqs[0] + 1
        assert session.stats.received == len(run.seqs)
        assert session.stats.lost == span - len(run.seqs)
        assert session.stats.corrupt > 0  # garbage was seen, counted, and its seq counted lost


async def test_peripheral_process_dying_is_seen_as_a_disconnection() -> None:
    link = VirtualLink()
    async with PeripheralProcess(link) as proc:
        central = await BumbleStack.open(link, name="host")
        session = make_session(central, rate_hz=100)
        await proc.wait_for_event("advertising")
        await session.start()
        try:
            connected = await asyncio.wait_for(session.__anext__(), 10.0)
            assert isinstance(connected, Connected)
            await proc.kill()

            async def until_disconnected() -> Disconnected:
                async for item in session:
                    if isinstance(item, Disconnected):
                        return item
                raise AssertionError("session ended without a Disconnected event")

            dropped = await asyncio.wait_for(until_disconnected(), 10.0)
            assert "disconnected" in dropped.reason
        finally:
            await session.close()
