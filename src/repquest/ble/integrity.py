"""Stream integrity: sequence checking and device-to-host time mapping; pure state machines, no I/O.

:class:`SequenceTracker` decides, per notification, whether to deliver it and how many were lost before it.
:class:`DeviceClockMapper` unwraps the puck's 24-bit microsecond clock and maps it onto host seconds.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["DeviceClockMapper", "SequenceTracker"]

SEQ_MODULUS = 1 << 16
HALF_SEQ = SEQ_MODULUS // 2
DEVICE_TIME_MODULUS_US = 1 << 24

FloatArray = npt.NDArray[np.float64]


class SequenceTracker:
    """Checks u16 sequence numbers (they wrap): counts gaps as loss, rejects duplicates and late packets.

    A packet behind the newest one delivered is never delivered: it is a *duplicate* if it was delivered
    before (remembered for the last ``window`` sequence numbers), else *stale* (it arrived after a later one,
    so it was already counted lost and the consumer has moved on). ``resync_after`` stale packets in a row
    mean the puck restarted its counter: the tracker re-anchors on the new numbering (counted in ``resyncs``).

    Attributes:
        received: packets accepted. lost: packets never delivered, from gaps. duplicates, stale: rejected.
        index: running count of sequence numbers since the first packet (unwrapped), of the newest accepted.
    """

    def __init__(self, window: int = 64, resync_after: int = 16) -> None:
        self.window = window
        self.resync_after = resync_after
        self.received = 0
        self.lost = 0
        self.duplicates = 0
        self.stale = 0
        self.resyncs = 0
        self.index = -1
        self._last: int | None = None
        self._seen = 0  # bit i set: sequence number last - i was delivered
        self._stale_run = 0

    @property
    def last_seq(self) -> int | None:
        """Sequence number of the newest packet delivered (None before the first)."""
        return self._last

    def accept(self, seq: int, expected_gap: float | None = None) -> int | None:
        """Judge one packet: return how many were lost just before it, or None to drop it.

        Args:
            seq: the packet's sequence number (0..65535).
            expected_gap: after a long silence (a reconnect), how many sequence numbers the sender should have
                advanced, estimated from host time; it resolves gaps of more than 32767 packets, which the
                16-bit number alone cannot tell from a late packet.
        """
        seq &= SEQ_MODULUS - 1
        if self._last is None:
            return self._advance(seq, 1, lost=0)
        diff = (seq - self._last) % SEQ_MODULUS
        if expected_gap is not None and expected_gap >= HALF_SEQ // 2:
            wraps = max(0, round((expected_gap - diff) / SEQ_MODULUS))
            step = diff + wraps * SEQ_MODULUS
            if step > 0:
                return self._advance(seq, step, lost=step - 1)
        if 0 < diff < HALF_SEQ:
            return self._advance(seq, diff, lost=diff - 1)
        back = (SEQ_MODULUS - diff) % SEQ_MODULUS
        if back < self.window and self._seen >> back & 1:
            self.duplicates += 1
            return None
        self.stale += 1
        self._stale_run += 1
        if self._stale_run >= self.resync_after:
            self.resyncs += 1
            return self._advance(seq, 1, lost=0)
        return None

    def feed(self, seqs: Iterable[int]) -> list[int | None]:
        """:meth:`accept` for each of ``seqs`` in order (any chunking of a stream gives the same verdicts)."""
        return [self.accept(seq) for seq in seqs]

    def _advance(self, seq: int, step: int, lost: int) -> int:
        self._seen = ((self._seen << min(step, self.window)) | 1) & ((1 << self.window) - 1)
        self._last = seq
        self._stale_run = 0
        self.index += step
        self.received += 1
        self.lost += lost
        return lost


class DeviceClockMapper:
    """Maps the puck's wrapping u24 µs timestamps to host seconds, tracking offset and crystal drift.

    Unwrapping: a notification's first-sample time is placed nearest to where the previous one predicts it
    (sequence gap x samples per notification x sample period), so gaps of any length unwrap correctly; the
    host's own elapsed time checks the result. After a reconnect the model carries on when it still fits (the
    puck's clock kept running); a disagreement beyond ``max_stall_s`` (the puck restarted its clock)
    re-anchors it.

    Mapping: a notification leaves when its last sample is taken and arrives after a latency that is never
    negative, so ``arrival - device time`` is the clock offset plus latency. The minimum per ``bin_s`` of
    device time approximates the offset; a line fitted through the minima of the last ``window_s`` gives
    offset and drift.

    Attributes:
        drift_ppm: estimated device clock error (positive: the puck runs fast).
        reanchors: times the mapping started afresh.
    """

    def __init__(
        self, bin_s: float = 1.0, window_s: float = 60.0, min_fit_s: float = 8.0, max_stall_s: float = 4.0
    ) -> None:
        self.bin_s = bin_s
        self.window_s = window_s
        self.min_fit_s = min_fit_s
        self.max_stall_s = max_stall_s
        self.drift_ppm = 0.0
        self.reanchors = 0
        self._bins: deque[tuple[int, float, float]] = deque()  # (bin number, device s, min offset s)
        self._last: tuple[int, int, int, float] | None = None  # (unwrapped t0 µs, n, period µs, arrival s)
        self._last_host_s = -math.inf
        self._fit = (0.0, 0.0)  # offset s at device time 0 of the anchor, slope (host s per device s - 1)
        self._x0_s = 0.0

    def unwrap(self, t0_us: int, arrival_s: float, packets_since_last: int | None) -> tuple[int, bool]:
        """The unwrapped device time in µs of a notification's first sample, and whether it fits the model.

        It does not fit when the sequence gap and the host's elapsed time disagree by more than ``max_stall_s``:
        the puck restarted its clock (or the link stalled that long); the host's time then decides.
        """
        if self._last is None:
            return t0_us, True
        last_t0, last_n, last_period, last_arrival = self._last
        by_host = last_t0 + (arrival_s - last_arrival) * 1e6
        if packets_since_last is None:
            return nearest_congruent(t0_us, by_host), True
        by_seq = nearest_congruent(t0_us, last_t0 + packets_since_last * last_n * last_period)
        if abs(by_seq - by_host) <= self.max_stall_s * 1e6:
            return by_seq, True
        return nearest_congruent(t0_us, by_host), False

    def map(
        self, t0_us: int, n: int, rate_hz: int, arrival_s: float, packets_since_last: int | None = None
    ) -> FloatArray:
        """Host times in seconds, shape (n,), of the samples of a notification that arrived at ``arrival_s``.

        Args:
            t0_us: the notification's u24 first-sample time. n: samples in it. rate_hz: their rate.
            arrival_s: host time the notification arrived. packets_since_last: sequence gap since the last
                notification mapped (1 when none was lost), if known.
        """
        period_us = 1_000_000 // rate_hz
        t0, fits = self.unwrap(t0_us, arrival_s, packets_since_last)
        if not fits:
            self._restart()
        if self._last is None and not self._bins:
            self._x0_s = t0 / 1e6
        self._last = (t0, n, period_us, arrival_s)
        dev_s = _sample_offsets_s(n, period_us) + (t0 / 1e6 - self._x0_s)
        offset_now = arrival_s - float(dev_s[-1])
        self._add_min(float(dev_s[-1]), offset_now)
        offset, slope = self._fit
        # Never place the newest sample after the moment it arrived.
        shift = min(offset + slope * float(dev_s[-1]), offset_now) - (offset + slope * float(dev_s[-1]))
        host = dev_s + offset + shift + slope * dev_s  # the offset absorbs the device-time origin
        if host[0] <= self._last_host_s:  # keep host time increasing across notifications
            host += self._last_host_s - host[0] + 1e-6
        self._last_host_s = float(host[-1])
        return host

    def _restart(self) -> None:
        self._bins.clear()
        self._last = None
        self._fit = (0.0, 0.0)
        self._last_host_s = -math.inf
        self.reanchors += 1

    def _add_min(self, dev_s: float, offset_s: float) -> None:
        number = math.floor(dev_s / self.bin_s)
        if self._bins and self._bins[-1][0] == number:
            if offset_s < self._bins[-1][2]:
                self._bins[-1] = (number, dev_s, offset_s)
                offset, slope = self._fit
                self._fit = (min(offset, offset_s - slope * dev_s), slope)
            return
        self._bins.append((number, dev_s, offset_s))
        while self._bins[0][1] < dev_s - self.window_s:
            self._bins.popleft()
        self._refit()  # once per bin, so the per-notification cost stays small

    def _refit(self) -> None:
        xs = np.array([b[1] for b in self._bins])
        ys = np.array([b[2] for b in self._bins])
        slope = self._fit[1]
        if len(xs) >= 3 and xs[-1] - xs[0] >= self.min_fit_s:
            dx = xs - xs.mean()
            slope = float(np.clip(np.dot(dx, ys - ys.mean()) / np.dot(dx, dx), -500e-6, 500e-6))
        # The intercept follows the lower envelope: the line through the lowest minimum with that slope.
        offset = float(np.min(ys - slope * xs))
        self._fit = (offset, slope)
        self.drift_ppm = -slope / (1.0 + slope) * 1e6


@functools.lru_cache(maxsize=64)
def _sample_offsets_s(n: int, period_us: int) -> FloatArray:
    """Seconds from a notification's first sample to each of its n samples (cached: the hot path)."""
    offsets = np.arange(n, dtype=np.float64) * (period_us / 1e6)
    offsets.flags.writeable = False
    return offsets


def nearest_congruent(value_us: int, target_us: float) -> int:
    """The integer nearest ``target_us`` that equals ``value_us`` modulo 2**24."""
    k = round((target_us - value_us) / DEVICE_TIME_MODULUS_US)
    return int(value_us + k * DEVICE_TIME_MODULUS_US)
