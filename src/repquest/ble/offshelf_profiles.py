"""Sensors people can buy, behind the session API: WitMotion BLE 5.0 IMUs and Polar PMD (Verity Sense, H10).

Neither carries a notification counter. WitMotion has no timestamp either: :class:`ArrivalTimer` places each
packet on the host's clock from its arrival and the nominal rate, and infers lost packets from gaps the rate
cannot explain. Polar stamps the last sample of each frame in device nanoseconds: sample times follow Polar's
SDK, ACC and GYRO are paired in order once their times agree, and a jump in time across a reconnect is a loss.
Both then synthesise sequence numbers and a 24-bit microsecond device clock so the session's integrity
machinery treats them like a puck.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque

import numpy as np

from repquest.errors import DeviceError, ProtocolError
from repquest.firmware_protocol import SampleBlock

from . import polar_control as pc
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
    """WitMotion WT9011DCL-BT5.0 / BWT901BLECL, driven as the vendor's SDKs drive it: unlock, set the rate, save,
    each followed by a 100 ms pause; verify the rate by reading register 0x03; read the battery from register
    0x64 (these sensors need not have a standard Battery service).

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
        self._reply: tuple[int, asyncio.Future[wit.WitRegister]] | None = None

    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        self.decoder = wit.WitMotionDecoder()  # a fresh framing buffer per connection
        self._verified = False  # samples at the old rate before the verify are not ours to time
        await call(transport.start_notify(wit.NOTIFY_UUID, on_data))
        for command in wit.set_rate_commands(self.rate_hz):
            await call(transport.write(wit.WRITE_UUID, command))
            await self.clock.sleep(wit.COMMAND_GAP_S)
        reply = await self._read(transport, call, wit.RATE_REGISTER)
        self._verified = True
        if not wit.rate_verified(reply, self.rate_hz):
            raise ProtocolError(
                f"the WitMotion sensor did not take {self.rate_hz} Hz (rate register reads {reply.values[0]:#x})"
            )
        try:
            battery = await self._read(transport, call, wit.BATTERY_REGISTER)
        except TimeoutError:
            return None  # an older firmware without the register: no battery figure, streaming goes on
        return round(wit.battery_percent(battery.values[0]))

    async def _read(self, transport: Transport, call: BoundedCall, register: int) -> wit.WitRegister:
        future: asyncio.Future[wit.WitRegister] = asyncio.get_running_loop().create_future()
        self._reply = (register, future)
        try:
            await call(transport.write(wit.WRITE_UUID, wit.read_register(register)))
            return await call(future, self.verify_timeout_s)
        finally:
            self._reply = None

    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        skipped = self.decoder.skipped_bytes
        packets = self.decoder.feed(data)
        if self.decoder.skipped_bytes != skipped:
            self.garbled += 1
        samples = [p for p in packets if isinstance(p, wit.WitSample)]
        if self._reply is not None:
            register, future = self._reply
            for p in packets:
                if isinstance(p, wit.WitRegister) and p.register == register and not future.done():
                    future.set_result(p)
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
    """Polar PMD, driven as Polar's SDK drives it: read which measurements the device has (ACC, and GYRO on the
    Verity Sense; the H10 has no gyro), ask each for the settings it offers, start it with settings from that
    list (the rate nearest ``rate_hz``; the H10 offers 25/50/100/200 Hz, the Verity Sense 52 Hz) and apply the
    start response's factor.

    Sample times follow the SDK (:func:`.polar_pmd.sample_times_ns`). ACC and GYRO samples are paired in order
    once their times agree to half a period; a sample without a partner in time is dropped. Without GYRO the
    block's ``gyr_dps`` is zero. ``gyro=False`` leaves the gyro off even where there is one.
    """

    kind = "polar"
    service_uuid = pmd.SERVICE_UUID
    command_uuid = pmd.CONTROL_UUID

    def __init__(self, rate_hz: int = 52, *, gyro: bool = True) -> None:
        super().__init__(rate_hz)
        self.requested_hz = rate_hz
        self.want_gyro = gyro
        self.measurements: list[int] = []
        self.settings: dict[int, dict[int, int]] = {}
        self.factors: dict[int, float] = {}
        self._previous = pmd.PreviousTimes()
        self._queues: dict[int, deque[tuple[int, tuple[float, ...]]]] = {}
        self._last_ns: int | None = None
        self._resumed = True
        self._frame_n = 1
        self._seq = -1
        self._response: asyncio.Future[pc.ControlResponse] | None = None

    async def open(
        self, transport: Transport, call: BoundedCall, on_data: NotifyCallback, on_status: NotifyCallback
    ) -> int | None:
        self._previous.reset()  # the SDK forgets frame times on every (re)start
        self._resumed = True
        await call(transport.start_notify(pmd.CONTROL_UUID, self._on_control))
        await call(transport.start_notify(pmd.DATA_UUID, on_data))
        features = pc.parse_features(await call(transport.read(pmd.CONTROL_UUID)))
        if pmd.MeasurementType.ACC not in features:
            raise ProtocolError("this Polar sensor does not offer acceleration")
        wanted = [pmd.MeasurementType.ACC]
        if self.want_gyro and pmd.MeasurementType.GYRO in features:
            wanted.append(pmd.MeasurementType.GYRO)
        self.measurements = []
        for measurement in wanted:
            offered = await self._command(transport, call, pc.settings_request(measurement))
            goal = self.requested_hz if measurement == pmd.MeasurementType.ACC else self.rate_hz
            settings = pc.choose_settings(pc.parse_settings(offered.parameters), measurement, goal)
            if measurement != pmd.MeasurementType.ACC and settings[pc.Setting.SAMPLE_RATE] != self.rate_hz:
                continue  # no common rate: pairing needs one, so acceleration goes alone
            started = await self._command(transport, call, pc.start_command(measurement, settings))
            self.factors[measurement] = pc.factor_of(started)
            self.settings[measurement] = settings
            self.measurements.append(measurement)
            if measurement == pmd.MeasurementType.ACC:
                self.rate_hz = settings[pc.Setting.SAMPLE_RATE]
        self._queues = {m: deque() for m in self.measurements}
        return await _battery(transport, call)

    async def _command(self, transport: Transport, call: BoundedCall, command: bytes) -> pc.ControlResponse:
        self._response = asyncio.get_running_loop().create_future()
        await call(transport.write(pmd.CONTROL_UUID, command))
        response = await call(self._response)
        self._response = None
        if response.op != command[0]:
            raise ProtocolError(f"the Polar sensor answered command {command[0]} with op {response.op}")
        response.check()
        return response

    def _on_control(self, data: bytes) -> None:
        if self._response is None or self._response.done() or data[:1] != b"\xf0":
            return
        try:
            self._response.set_result(pc.parse_control_response(data))
        except ProtocolError as exc:
            self._response.set_exception(exc)

    def stop_commands(self) -> list[bytes]:
        return [pc.stop_command(m) for m in self.measurements]

    def decode(self, data: bytes, now_s: float) -> list[SampleBlock]:
        measurement = data[0] & pmd.MEASUREMENT_MASK if data else -1
        queue = self._queues.get(measurement)
        if queue is None:
            raise ProtocolError(f"PMD frame of a measurement we did not start: {bytes(data[:1]).hex()}")
        frame = pmd.decode_frame(data, factor=self.factors.get(measurement, 1.0))
        previous_ns = self._previous.advance(data)
        times = pmd.sample_times_ns(previous_ns, frame.timestamp_ns, len(frame.values), self.rate_hz)
        self._frame_n = len(frame.values)
        queue.extend(zip(times, frame.values, strict=True))
        return self._emit()

    def _emit(self) -> list[SampleBlock]:
        half_ns = 0.5e9 / self.rate_hz
        times: list[int] = []
        rows: list[tuple[float, ...]] = []
        queues = list(self._queues.values())
        while all(queues):
            heads = [q[0][0] for q in queues]
            if max(heads) - min(heads) > half_ns:
                queues[heads.index(min(heads))].popleft()  # its partner was never sent (start-up, restart)
                continue
            pair = [q.popleft() for q in queues]
            times.append(pair[0][0])
            rows.append(tuple(v for _t, values in pair for v in values))
        if not rows:
            return []
        lost = 0
        if self._resumed and self._last_ns is not None:
            gap = round((times[0] - self._last_ns) * self.rate_hz / 1e9) - 1
            lost = max(1, math.ceil(gap / self._frame_n)) if gap > 0 else 0
        self._resumed = False
        self._last_ns = times[-1]
        self._seq += 1 + lost
        values = np.array(rows)
        acc = values[:, :3] * POLAR_ACC_MG_TO_G
        gyr = values[:, 3:6] if values.shape[1] >= 6 else np.zeros((len(rows), 3))
        block = make_block(self._seq, round(times[0] / 1000), self.rate_hz, acc, gyr)
        # each sample at the time the SDK gives it (the block's rate is only nominal)
        offsets_us = np.round((np.array(times, dtype=np.float64) - times[0]) / 1000).astype(np.int64)
        return [
            SampleBlock(
                block.seq, block.t0_us, block.rate_hz, block.t0_us + offsets_us, acc, gyr, block.force_n
            )
        ]
