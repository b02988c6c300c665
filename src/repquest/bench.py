"""``repquest bench``: throughput, latency and GC churn of decode + movement engine vs imufusion alone.

One run on the same samples (a simulated knee-extension set at 100 Hz, 8-sample notifications): the
notifications are built with the protocol's encoder, then timed through ``decode_notification`` and
``MovementEngine.feed_block`` (the live path), and the same samples through imufusion's AHRS alone.
"""

from __future__ import annotations

import gc
import time
from typing import Any

import imufusion
import numpy as np
import numpy.typing as npt

from .dsp import MovementEngine
from .exercises import engine_settings_for
from .firmware_protocol import decode_notification, encode_notification

FloatArray = npt.NDArray[np.float64]

__all__ = ["run_bench"]

RATE_HZ = 100
PER_NOTIFICATION = 8
DEVICE_TIME_MODULUS_US = 1 << 24


def _samples(
    reps: int, exercise: str = "knee_extension"
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    from .simulator.exercise_models import build_set

    sim = build_set(exercise, reps, seed=1, rate_hz=RATE_HZ)
    t = sim.time_axis()
    acc, gyr, force = sim.sample(t)
    n = t.shape[0] // PER_NOTIFICATION * PER_NOTIFICATION
    return acc[:n], gyr[:n], force[:n]


def _notifications(
    acc: np.ndarray[Any, Any], gyr: np.ndarray[Any, Any], force: np.ndarray[Any, Any]
) -> list[bytes]:
    period_us = 1_000_000 // RATE_HZ
    out = []
    for k, start in enumerate(range(0, acc.shape[0], PER_NOTIFICATION)):
        sl = slice(start, start + PER_NOTIFICATION)
        out.append(
            encode_notification(
                seq=k,
                t0_us=start * period_us,
                rate_hz=RATE_HZ,
                acc_g=acc[sl],
                gyr_dps=gyr[sl],
                force_n=force[sl],
            )
        )
    return out


def _fusion_only(acc: np.ndarray[Any, Any], gyr: np.ndarray[Any, Any]) -> float:
    ahrs = imufusion.Ahrs()
    settings = imufusion.AhrsSettings()
    settings.sample_rate = RATE_HZ
    ahrs.set_settings(settings)
    update = ahrs.update_no_magnetometer
    start = time.perf_counter()
    for i in range(acc.shape[0]):
        update(gyr[i], acc[i])
    return float(acc.shape[0] / (time.perf_counter() - start))


def _decode_dsp(notifications: list[bytes], exercise: str = "knee_extension") -> tuple[float, list[int], int]:
    """Decode + engine over every notification: throughput of a plain pass, then per-notification latency.

    The throughput pass has no clock reads inside the loop; the latency pass (a fresh engine, same bytes)
    reads the clock around each notification. Returns samples per second, latencies (ns) and GC runs.
    """
    collections = 0

    def count(phase: str, info: dict[str, int]) -> None:
        nonlocal collections
        if phase == "start":
            collections += 1

    samples = sum(len(decode_notification(data)) for data in notifications)
    latencies_ns = [0] * len(notifications)
    clock = time.perf_counter_ns
    gc.callbacks.append(count)
    try:
        engine = MovementEngine(engine_settings_for(exercise), RATE_HZ)
        wrap_s = 0.0
        last_t0 = -1
        start = time.perf_counter()
        for data in notifications:
            block = decode_notification(data)
            if block.t0_us < last_t0:
                wrap_s += DEVICE_TIME_MODULUS_US / 1e6
            last_t0 = block.t0_us
            engine.feed_block(block.times_s(wrap_s), block)
        elapsed = time.perf_counter() - start
        engine = MovementEngine(engine_settings_for(exercise), RATE_HZ)
        wrap_s = 0.0
        last_t0 = -1
        for k, data in enumerate(notifications):
            t0 = clock()
            block = decode_notification(data)
            if block.t0_us < last_t0:
                wrap_s += DEVICE_TIME_MODULUS_US / 1e6
            last_t0 = block.t0_us
            engine.feed_block(block.times_s(wrap_s), block)
            latencies_ns[k] = clock() - t0
    finally:
        gc.callbacks.remove(count)
    return samples / elapsed, latencies_ns, collections


def run_bench(reps: int = 40, rounds: int = 5, exercise: str = "knee_extension") -> dict[str, float]:
    """Measure and return the figures of ``repquest bench --json`` (DESIGN.md budgets).

    The machine may be shared, so both sides run ``rounds`` times, interleaved (fusion, decode + engine,
    fusion, ...) on the same samples: throughputs are each side's best round (the least disturbed one, as
    ``timeit`` reports), latencies the median over rounds of each round's percentile, GC runs the total
    (over the throughput and the latency pass). ``exercise`` picks the simulated set and the engine's path
    (``repquest bench`` measures knee extension; ``benchmarks/accuracy_steps.py --speed`` the walking path).
    """
    acc, gyr, force = _samples(reps, exercise)
    notifications = _notifications(acc, gyr, force)
    _decode_dsp(notifications[:200], exercise)  # warm caches and code paths
    fusion: list[float] = []
    dsp: list[float] = []
    p50: list[float] = []
    p99: list[float] = []
    collections = 0
    for _ in range(rounds):
        fusion.append(_fusion_only(acc, gyr))
        sps, latencies_ns, gcs = _decode_dsp(notifications, exercise)
        dsp.append(sps)
        p50.append(float(np.percentile(latencies_ns, 50)) / 1e3)
        p99.append(float(np.percentile(latencies_ns, 99)) / 1e3)
        collections += gcs
    fusion_sps, dsp_sps = max(fusion), max(dsp)
    return {
        "decode_dsp_samples_per_s": round(dsp_sps, 1),
        "fusion_only_samples_per_s": round(fusion_sps, 1),
        "ratio_vs_fusion_only": round(dsp_sps / fusion_sps, 3),
        "latency_us_p50": round(float(np.median(p50)), 2),
        "latency_us_p99": round(float(np.median(p99)), 2),
        "gc_collections_per_10k_notifications": round(
            collections * 10_000 / (rounds * len(notifications)), 2
        ),
        "notifications": len(notifications),
        "rounds": rounds,
        "rate_hz": RATE_HZ,
        # The engine fuses orientation once per group of samples (gyro pre-integration); the baseline
        # above runs imufusion on every sample. Reported so the comparison is read correctly.
        "engine_fusion_rate_hz": MovementEngine(engine_settings_for(exercise), RATE_HZ).group_rate_hz,
    }
