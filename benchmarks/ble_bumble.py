"""BLE end to end over bumble, the peripheral in a second process over TCP: rate, loss, latency, reconnect.

PuckSession -> BleakTransport -> bleak -> our bumble backend -> HCI -> virtual controllers -> TCP -> the
virtual puck (``python -m repquest.ble.bumble_peripheral``). Runs a clean stream and one with a link drop, and
prints one JSON object. These are event-loop figures: the virtual link has no radio, connection interval or
RF loss, so they say nothing about real Bluetooth throughput (BLE_NOTES.md).

    .venv/bin/python benchmarks/ble_bumble.py [--seconds 10] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json

import numpy as np

from repquest.ble import Connected, Disconnected, PuckSession, ReconnectPolicy, TimedBlock
from repquest.ble.bleak_transport import bleak_factory
from repquest.ble.bumble_backend import bumble_client_factory, bumble_discover
from repquest.ble.bumble_link import BumbleStack, VirtualLink
from repquest.ble.bumble_local import PeripheralProcess

WRAP_S = 16.777216


async def measure(seconds: float, rate_hz: int, faults: str) -> dict[str, float]:
    link = VirtualLink()
    async with PeripheralProcess(link, faults=faults) as proc:
        central = await BumbleStack.open(link, name="host")
        origin_s = (await proc.wait_for_event("advertising"))["origin_s"]
        factory = bleak_factory(
            None, 0.3, discover=bumble_discover(central), client_factory=bumble_client_factory(central)
        )
        policy = ReconnectPolicy(initial_delay_s=0.05, max_delay_s=0.5, max_attempts=50, seed=1)
        session = PuckSession(factory, rate_hz=rate_hz, policy=policy, data_timeout_s=2.0)
        loop = asyncio.get_running_loop()
        latencies, dropped_at, connected_at = [], [], []
        samples = notifications = 0
        await session.start()
        started_s = loop.time()
        try:
            async for item in session:
                now_s = loop.time()
                if isinstance(item, TimedBlock):
                    block = item.block
                    notifications += 1
                    samples += len(block)
                    last_us = (block.t0_us + (len(block) - 1) * 1_000_000 // block.rate_hz) % (1 << 24)
                    sent_s = origin_s + last_us / 1e6
                    while sent_s + WRAP_S <= now_s:
                        sent_s += WRAP_S
                    latencies.append(now_s - sent_s)
                elif isinstance(item, Connected):
                    connected_at.append(now_s)
                elif isinstance(item, Disconnected):
                    dropped_at.append(now_s)
                if now_s - started_s >= seconds:
                    break
        finally:
            await session.close()
        stats = session.stats
        lat_ms = np.array(latencies) * 1e3
        reconnect_s = [c - d for d, c in zip(dropped_at, connected_at[1:], strict=False)]
        return {
            "seconds": seconds,
            "rate_hz": rate_hz,
            "notifications_per_s": notifications / seconds,
            "samples_per_s": samples / seconds,
            "lost": stats.lost,
            "loss_pct": 100.0 * stats.lost / max(1, stats.lost + stats.received),
            "duplicates": stats.duplicates,
            "latency_ms_p50": float(np.percentile(lat_ms, 50)) if len(lat_ms) else float("nan"),
            "latency_ms_p99": float(np.percentile(lat_ms, 99)) if len(lat_ms) else float("nan"),
            "reconnects": stats.reconnects,
            "reconnect_s": max(reconnect_s) if reconnect_s else 0.0,
        }


async def main_async(seconds: float, rate_hz: int) -> dict[str, object]:
    clean = await measure(seconds, rate_hz, "")
    # The drop hides the puck for 1 s; reconnect_s is from Disconnected to the next Connected (>= the outage).
    drop = await measure(seconds, rate_hz, f"drop@{seconds / 2:g}+1.0")
    return {
        "transport": "bumble virtual link, peripheral in a second process over TCP",
        "clean": clean,
        "link_drop": drop,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args.seconds, args.rate)), indent=2))


if __name__ == "__main__":
    main()
