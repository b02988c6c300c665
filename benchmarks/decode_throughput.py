#!/usr/bin/env python3
"""Decode throughput of the puck's data notifications (PROTOCOL.md section 3).

Measures, on this machine:

* throughput in samples/s of the fast decoder (``decode_notification``: bytes indexing + ``numpy.frombuffer``)
  and of the construct reference decoder (``decode_notification_reference``), for notifications of 1, 8 and 15
  samples (the default MTU, a typical MTU of 114 and the maximum);
* per-notification latency of the fast decoder, p50 and p99 in microseconds (8-sample notifications, one
  ``perf_counter_ns`` pair around each call, so about 0.1 us of timer cost is included);
* garbage collections during 10,000 fast decodes, counted with ``gc.callbacks``.

Usage: ``python benchmarks/decode_throughput.py [--json] [--seconds S]``. ``--json`` prints one JSON object.
Figures are timings, so they belong here and never in unit tests.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from repquest.firmware_protocol import decode_notification, decode_notification_reference, encode_notification

SIZES = (1, 8, 15)
DISTINCT = 256  # distinct notifications cycled through, so no cache can serve a repeat
LATENCY_CALLS = 10_000
GC_CALLS = 10_000

Decoder = Callable[[bytes], object]


def make_notifications(count: int, n: int = DISTINCT, seed: int = 1) -> list[bytes]:
    """``n`` realistic notifications of ``count`` samples each at 100 Hz, as the virtual puck encodes them."""
    rng = np.random.default_rng(seed)
    out = []
    for seq in range(n):
        out.append(
            encode_notification(
                seq=seq,
                t0_us=seq * count * 10_000,
                rate_hz=100,
                acc_g=rng.normal(0.0, 0.5, (count, 3)) + np.array([0.0, 0.0, 1.0]),
                gyr_dps=rng.normal(0.0, 60.0, (count, 3)),
                force_n=rng.uniform(0.0, 40.0, count),
            )
        )
    return out


def throughput(decode: Decoder, notifications: list[bytes], samples_each: int, seconds: float) -> float:
    """Samples per second: best of three runs of at least ``seconds / 3`` each."""
    best = 0.0
    for _ in range(3):
        calls = 0
        start = time.perf_counter()
        deadline = start + seconds / 3
        while True:
            for data in notifications:
                decode(data)
            calls += len(notifications)
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, calls * samples_each / (now - start))
    return best


def latency_us(decode: Decoder, notifications: list[bytes], calls: int = LATENCY_CALLS) -> dict[str, float]:
    for data in notifications:  # warm up
        decode(data)
    ns = np.empty(calls, dtype=np.int64)
    clock = time.perf_counter_ns
    k = len(notifications)
    for i in range(calls):
        data = notifications[i % k]
        t0 = clock()
        decode(data)
        ns[i] = clock() - t0
    us = ns / 1000.0
    return {
        "p50": float(np.percentile(us, 50)),
        "p99": float(np.percentile(us, 99)),
        "max": float(us.max()),
    }


def gc_collections(decode: Decoder, notifications: list[bytes], calls: int = GC_CALLS) -> dict[str, int]:
    """Collections per generation that ran while decoding ``calls`` notifications."""
    per_generation = {0: 0, 1: 0, 2: 0}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            per_generation[info["generation"]] += 1

    gc.collect()
    gc.callbacks.append(on_gc)
    try:
        k = len(notifications)
        for i in range(calls):
            decode(notifications[i % k])
    finally:
        gc.callbacks.remove(on_gc)
    return {f"gen{g}": n for g, n in per_generation.items()}


def run(seconds: float) -> dict[str, Any]:
    data = {size: make_notifications(size) for size in SIZES}
    fast = {size: throughput(decode_notification, data[size], size, seconds) for size in SIZES}
    reference = {size: throughput(decode_notification_reference, data[size], size, seconds) for size in SIZES}
    lat = latency_us(decode_notification, data[8])
    collections = gc_collections(decode_notification, data[8])
    return {
        "fast_samples_per_s": {str(s): round(v) for s, v in fast.items()},
        "reference_samples_per_s": {str(s): round(v) for s, v in reference.items()},
        "speedup": {str(s): round(fast[s] / reference[s], 1) for s in SIZES},
        "decode_samples_per_s": round(fast[8]),
        "reference_decode_samples_per_s": round(reference[8]),
        "latency_us_p50": round(lat["p50"], 2),
        "latency_us_p99": round(lat["p99"], 2),
        "latency_us_max": round(lat["max"], 2),
        "latency_samples_per_notification": 8,
        "gc_collections_per_10k_notifications": sum(collections.values()),
        "gc_collections_by_generation": collections,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        "decode throughput (samples/s, best of 3)",
        f"{'samples/notification':>22} {'fast':>14} {'construct ref':>14} {'speedup':>8}",
    ]
    for s in map(str, SIZES):
        fast, ref = result["fast_samples_per_s"][s], result["reference_samples_per_s"][s]
        lines.append(f"{s:>22} {fast:>14,} {ref:>14,} {result['speedup'][s]:>7}x")
    lines += [
        "",
        f"fast decode latency, 8 samples: p50 {result['latency_us_p50']} us, "
        f"p99 {result['latency_us_p99']} us, max {result['latency_us_max']} us",
        f"gc collections during {GC_CALLS:,} fast decodes: {result['gc_collections_per_10k_notifications']} "
        f"({', '.join(f'{k} {v}' for k, v in result['gc_collections_by_generation'].items())})",
        f"python {result['python']}, numpy {result['numpy']}, {result['machine']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Decode throughput of the puck's data notifications.")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--seconds", type=float, default=1.5, help="time per throughput figure (default 1.5)")
    args = parser.parse_args(argv)
    result = run(args.seconds)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
