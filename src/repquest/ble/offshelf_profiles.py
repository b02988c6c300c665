"""Sensors people can buy, behind the session API: WitMotion BLE 5.0 IMUs and Polar PMD (Verity Sense, H10).

Neither carries a notification counter. WitMotion has no timestamp either: :class:`ArrivalTimer` places each
packet on the host's clock from its arrival and the nominal rate, and infers lost packets from gaps the rate
cannot explain. Polar stamps the last sample of each frame in device nanoseconds: samples go on a grid of the
rate, ACC and GYRO are paired by grid index, and gaps in the grid are losses. Both then synthesise sequence
numbers and a 24-bit microsecond device clock so the session's integrity machinery treats them like a puck.
"""

from __future__ import annotations

import asyncio
import math

import numpy as np

from repquest.errors import DeviceError, ProtocolError
from repquest.firmware_protocol import SampleBlock

from . import polar_pmd as pmd
from . import witmotion as wit
from .profiles import BATTERY_LEVEL_UUID, BoundedCall, DeviceProfile, make_block
from .transport import NotifyCallback, Transport

__all__ = ["ArrivalTimer", "PolarProfile", "WitMotionProfile"]

POLAR_ACC_MG_TO_G = 1e-3  # Polar's SDK: ACC values (after the factor) are in millig


async def _battery(transport: Transport, call: BoundedCall) -> int | None:
    """The standard Battery Level characteristic, if the device serves one."""
    try:
        data = await call(transport.read(BATTERY_LEVEL_UUID))
    except (DeviceError, ProtocolError, TimeoutError):
        return None
    return data[0] if data and data[0] <= 100 else None


class ArrivalTimer:
    """Host times for samples that carry none: ``rate_hz`` nominal, ``tolerance`` samples of arrival jitter.

    A notification of ``k`` samples that arrives later than the rate predicts by more than ``tolerance``
    sample periods follows a gap: the samples that would fill it are counted lost and the timeline jumps to the
    arrival. Within the tolerance the timeline follows the rate, slewed slowly towards arrival times so a
    sensor whose crystal is a little off never accumulates a false gap.
    """

    def __init__(self, rate_hz: int, tolerance: float = 3.0, slew: float = 0.05) -> None:
        self.period_s = 1.0 / rate_hz
        self.tolerance = tolerance
        self.slew = slew
        self.last_s: float | None = None

    def place(self, now_s: float, k: int) -> tuple[int, float]:
        """(samples lost just before these ``k``, host time of the first of them)."""
        if self.last_s is None:
            end_s, lost = now_s, 0
        else:
            expected_s = self.last_s + k * self.period_s
            behind_s = now_s - expected_s
            if behind_s > self.tolerance * self.period_s:
                lost = round(behind_s / self.period_s)
                end_s = now_s
            else:
                lost = 0
                end_s = max(min(expected_s + self.slew * behind_s, now_s), self.last_s + 1e-6)
        self.last_s = end_s
        return lost, end_s - (k - 1) * self.period_s


class WitMotionProfile(DeviceProfile):
    """WitMotion WT9011DCL-BT5.0 / BWT901BLECL: unlock, set the rate, save, verify it by reading register 0x03.

    One sample per 20-byte packet; each packet becomes a one-sample block, so ``lost`` counts packets exactly.
    """

    kind = "witmotion"
    service_uuid = wit.SERVICE_UUID
    command_uuid = wit.WRITE_UUID

    def __init__(self, rate_hz: int = 100, verify_timeout_s: float = 2.0) -> None:
        wit.set_rate_commands(rate_hz)  # validates
        super().__init__(rate_hz)
        self.verify_timeout_s = verify_timeout_s
        self.decoder = wit.WitMotionDecoder()
        self.timer = ArrivalTimer(rate_hz)
        self._seq = -1
        self._verified = False
        self._reply: asyncio.Future[wit.WitRegister] | None = None

    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        self.decoder = wit.WitMotionDecoder()  # a fresh framing buffer per connection
        self._verified = False  # samples at the old rate before the verify are not ours to time
        await call(transport.start_notify(wit.NOTIFY_UUID, on_data))
        for command in wit.set_rate_commands(self.rate_hz):
            await call(transport.write(wit.WRITE_UUID, command))
        self._reply = asyncio.get_running_loop().create_future()
        await call(transport.write(wit.WRITE_UUID, wit.read_register(wit.RATE_REGISTER)))
        reply = await call(self._reply, self.verify_timeout_s)
        self._reply = None
        self._verified = True
        if not wit.rate_verified(reply, self.rate_hz):
            raise ProtocolError(
                f"the WitMotion sensor did not take {self.rate_hz} Hz (rate register reads {reply.values[0]:#x})"
            )
        return await _battery(transport, call)

    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        skipped = self.decoder.skipped_bytes
        packets = self.decoder.feed(data)
        if self.decoder.skipped_bytes != skipped:
            self.garbled += 1
        samples = [p for p in packets if isinstance(p, wit.WitSample)]
        reply = self._reply
        for p in packets:
            is_rate = isinstance(p, wit.WitRegister) and p.register == wit.RATE_REGISTER
            if is_rate and reply is not None and not reply.done():
                reply.set_result(p)  # type: ignore[arg-type]
        if not samples or not self._verified:
            return []
        lost, first_s = self.timer.place(now_s, len(samples))
        blocks = []
        period_s = self.timer.period_s
        for i, s in enumerate(samples):
            self._seq += 1 + (lost if i == 0 else 0)
            t0_us = round((first_s + i * period_s) * 1e6)
            blocks.append(
                make_block(self._seq, t0_us, self.rate_hz, np.array([s.acc_g]), np.array([s.gyr_dps]))
            )
        return blocks


class PolarProfile(DeviceProfile):
    """Polar PMD: ACC (and GYRO on the Verity Sense) at ``rate_hz``; the H10 has no gyro (``gyro=False``).

    Notifications are enabled on the control point and the data characteristic before any command; each
    start response's conversion factor is applied. Without GYRO the block's ``gyr_dps`` is zero.
    """

    kind = "polar"
    service_uuid = pmd.SERVICE_UUID
    command_uuid = pmd.CONTROL_UUID

    def __init__(self, rate_hz: int = 52, *, gyro: bool = True, acc_range_g: int = 8) -> None:
        super().__init__(rate_hz)
        self.measurements = [pmd.MeasurementType.ACC] + ([pmd.MeasurementType.GYRO] if gyro else [])
        self.settings = {
            pmd.MeasurementType.ACC: {0: rate_hz, 1: 16, 2: acc_range_g},
            pmd.MeasurementType.GYRO: {0: rate_hz, 1: 16, 2: 2000},
        }
        self.factors: dict[int, float] = {}
        self.period_ns = 1e9 / rate_hz
        self._origin_ns: int | None = None
        self._pending: dict[int, dict[int, tuple[float, ...]]] = {m: {} for m in self.measurements}
        self._next: int | None = None
        self._frame_n = 1
        self._seq = -1
        self._response: asyncio.Future[bytes] | None = None

    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        for pending in self._pending.values():
            pending.clear()
        await call(transport.start_notify(pmd.CONTROL_UUID, self._on_control))
        await call(transport.start_notify(pmd.DATA_UUID, on_data))
        for measurement in self.measurements:
            self._response = asyncio.get_running_loop().create_future()
            await call(
                transport.write(pmd.CONTROL_UUID, pmd.start_command(measurement, self.settings[measurement]))
            )
            self.factors[measurement] = pmd.parse_start_response(await call(self._response))
        self._response = None
        return await _battery(transport, call)

    def _on_control(self, data: bytes) -> None:
        if self._response is not None and not self._response.done() and data[:2] == b"\xf0\x02":
            self._response.set_result(bytes(data))

    def stop_commands(self) -> list[bytes]:
        return [bytes([0x03, m]) for m in self.measurements]

    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        if len(data) < 1 or data[0] not in self._pending:
            raise ProtocolError(f"PMD frame of an unexpected measurement: {bytes(data[:1]).hex()}")
        measurement = data[0]
        frame = pmd.decode_frame(data, factor=self.factors.get(measurement, 1.0))
        n = len(frame.samples)
        self._frame_n = n
        first_ns = frame.timestamp_ns - (n - 1) * self.period_ns
        if self._origin_ns is None:
            self._origin_ns = round(first_ns)
        first_idx = round((first_ns - self._origin_ns) / self.period_ns)
        pending = self._pending[measurement]
        for i, values in enumerate(frame.values):
            pending[first_idx + i] = values
        return self._emit()

    def _emit(self) -> list[SampleBlock]:
        if any(not p for p in self._pending.values()):
            return []
        ready = min(max(p) for p in self._pending.values())
        start = min(min(p) for p in self._pending.values()) if self._next is None else self._next
        blocks: list[SampleBlock] = []
        run: list[int] = []
        gap = 0
        for idx in range(start, ready + 1):
            if all(idx in p for p in self._pending.values()):
                run.append(idx)
                continue
            if run:
                blocks.append(self._block(run, gap))
                run, gap = [], 0
            gap += 1
        if run:
            blocks.append(self._block(run, gap))
        for p in self._pending.values():
            for idx in [i for i in p if i <= ready]:
                del p[idx]
        self._next = max(ready + 1, start)
        return blocks

    def _block(self, run: list[int], gap: int) -> SampleBlock:
        lost = 0 if gap == 0 else max(1, math.ceil(gap / self._frame_n))
        self._seq += 1 + lost
        acc = np.array([self._pending[pmd.MeasurementType.ACC][i] for i in run]) * POLAR_ACC_MG_TO_G
        gyro = self._pending.get(pmd.MeasurementType.GYRO)
        gyr = np.array([gyro[i] for i in run]) if gyro is not None else np.zeros((len(run), 3))
        assert self._origin_ns is not None
        t0_us = round((self._origin_ns + run[0] * self.period_ns) / 1000)
        return make_block(self._seq, t0_us, self.rate_hz, acc, gyr)
