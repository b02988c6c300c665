"""Off-the-shelf sensors on the air: a WitMotion IMU and a Polar PMD sensor as bumble peripherals.

Each serves its device's GATT layout and emits its exact bytes (:func:`.witmotion.encode_sample`,
:func:`.polar_pmd.encode_compressed_frame`) from a :class:`~repquest.simulator.puck.MotionSource`, so the session's
profiles are tested end to end over a real BLE stack. WitMotion streams at 10 Hz until told otherwise (unlock,
rate, save) and answers register reads; Polar (a Verity Sense or an H10) answers its control point as that
device does and streams a measurement after its start command. bumble is reached only through :mod:`.bumble_link`.

Run one as ``python -m repquest.ble.bumble_sensors witmotion|polar TRANSPORT [--model h10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import struct
import sys
from collections import deque
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import numpy as np

from repquest.clock import Clock, WallClock
from repquest.errors import ProtocolError
from repquest.simulator.puck import MotionSource

from . import polar_control as pc
from . import polar_pmd as pmd
from . import witmotion as wit
from .bumble_link import AttError, BumbleStack, LinkError, ServedChar, ServerConnection
from .profiles import BATTERY_LEVEL_UUID

__all__ = ["PERIPHERALS", "PolarPeripheral", "SensorPeripheral", "WitMotionPeripheral", "parse_drops", "run"]

EventSink = Callable[[dict[str, Any]], None]
BATTERY_SERVICE_UUID = "0000180f-0000-1000-8000-00805f9a34fb"
POLAR_EPOCH_NS = 599_616_000 * 10**9  # device timestamps count from 2000-01-01; any large origin will do


class SensorPeripheral:
    """The shared part: advertising, connections, a pump on ``clock`` emitting samples at the current rate.

    ``drop_link(hide_s)`` disconnects and stays hidden (not advertising) for ``hide_s`` seconds; ``drops``
    schedules that as ``(at_s, hide_s)`` pairs in true time (``--faults drop@S+S`` in a second process)."""

    name = "sensor"
    service_uuid = ""
    serves_battery_service = True

    def __init__(
        self,
        stack: BumbleStack,
        motion: MotionSource,
        *,
        name: str | None = None,
        battery_pct: int | None = 80,
        clock: Clock | None = None,
        on_event: EventSink | None = None,
        interval_s: float = 0.0075,
        drops: Sequence[tuple[float, float]] = (),
    ) -> None:
        self.stack = stack
        self.drops = deque(sorted(drops))
        self.motion = motion
        self.name = name or self.name
        self.battery_pct = battery_pct
        self.clock: Clock = clock or WallClock()
        self.on_event = on_event or (lambda _e: None)
        self.interval_s = interval_s
        self.rate_hz = 10
        self.origin_s = 0.0
        self.sent = 0
        self.sent_data: deque[bytes] = deque(maxlen=100_000)  # what went out on the data characteristic
        self.streaming = False
        self._next_index = 0
        self._connections: list[ServerConnection] = []
        self._advertising = False
        self._hidden_until_s = float("-inf")
        self._pump: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()  # replies sent from write handlers (sync callbacks)
        services = self.services()
        if battery_pct is not None and self.serves_battery_service:
            battery = ServedChar(BATTERY_LEVEL_UUID, ("read",), read=lambda: bytes([self.battery_pct or 0]))
            services.append((BATTERY_SERVICE_UUID, [battery]))
        stack.serve(services)
        stack.on_connection(self._on_connection)

    # -- what each device defines -----------------------------------------------------------------------------

    def services(self) -> list[tuple[str, list[ServedChar]]]:
        raise NotImplementedError

    async def emit(self, t_s: np.ndarray) -> None:
        """Send the samples at true times ``t_s`` (n,) in the device's format."""
        raise NotImplementedError

    def on_link_up(self) -> None:
        """A central connected."""

    # -- the shared machinery ---------------------------------------------------------------------------------

    def now_s(self) -> float:
        return self.clock.now() - self.origin_s

    async def start(self) -> None:
        self.origin_s = self.clock.now()
        await self._advertise()
        self._pump = asyncio.get_running_loop().create_task(self._run(), name=f"{self.name} pump")

    async def stop(self) -> None:
        pump, self._pump = self._pump, None
        tasks = {t for t in self._tasks if not t.done()} | ({pump} if pump is not None else set())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        for connection in list(self._connections):
            await connection.disconnect()

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run ``coro`` in the background, holding the task (asyncio keeps only a weak reference); stop() cancels it."""
        task = asyncio.get_running_loop().create_task(coro, name=f"{self.name} {name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drop_link(self, hide_s: float) -> None:
        self._hidden_until_s = self.now_s() + hide_s
        self.on_event({"event": "dropped", "t_s": self.now_s(), "until_s": self._hidden_until_s})
        for connection in list(self._connections):
            await connection.disconnect()

    async def _advertise(self) -> None:
        if not self._advertising:
            await self.stack.advertise(self.name, [self.service_uuid])
            self._advertising = True
            self.on_event({"event": "advertising", "name": self.name, "address": self.stack.address})

    def _on_connection(self, connection: ServerConnection) -> None:
        self._connections.append(connection)
        self._advertising = False
        self.on_link_up()
        self.on_event({"event": "connected", "peer": connection.peer_address})

        def lost(reason: int) -> None:
            with contextlib.suppress(ValueError):
                self._connections.remove(connection)
            self.streaming = False
            self.on_event({"event": "disconnected", "reason": reason})

        connection.on_disconnection(lost)

    async def _run(self) -> None:
        while True:
            now_s = self.now_s()
            while self.drops and now_s >= self.drops[0][0]:
                await self.drop_link(self.drops.popleft()[1])
            due = math.floor(now_s * self.rate_hz)
            if self.streaming and self._connections and due >= self._next_index:
                await self.emit(np.arange(self._next_index, due + 1) / self.rate_hz)
            self._next_index = max(self._next_index, due + 1)
            if not self._connections and not self._advertising and now_s >= self._hidden_until_s:
                with contextlib.suppress(LinkError):
                    await self._advertise()
            await self.clock.sleep(self.interval_s)

    async def _notify(self, char: ServedChar, data: bytes, *, is_data: bool = True) -> None:
        try:
            await char.notify(data)
        except LinkError:
            return  # the link went down under us: the host counts the gap
        self.sent += 1
        if is_data:
            self.sent_data.append(data)


def _angles_deg(acc_g: np.ndarray) -> tuple[float, float, float]:
    ax, ay, az = (float(v) for v in acc_g)
    return (math.degrees(math.atan2(ay, az)), math.degrees(math.atan2(-ax, math.hypot(ay, az))), 0.0)


def _quaternion(roll_deg: float, pitch_deg: float, yaw_deg: float) -> tuple[float, float, float, float]:
    """w, x, y, z of the Z-Y-X (yaw, pitch, roll) rotation the sensor reports as its angles."""
    r, p, y = (math.radians(a) / 2 for a in (roll_deg, pitch_deg, yaw_deg))
    cr, sr, cp, sp, cy, sy = math.cos(r), math.sin(r), math.cos(p), math.sin(p), math.cos(y), math.sin(y)
    return (
        cr * cp * cy + sr * sp * sy,
        sr * cp * cy - cr * sp * sy,
        cr * sp * cy + sr * cp * sy,
        cr * cp * sy - sr * sp * cy,
    )


class WitMotionPeripheral(SensorPeripheral):
    """A WT9011DCL-BT5.0: streams ``55 61`` packets from connect (10 Hz until a saved rate command) and answers
    register reads with the values it holds now (rate, acceleration, rate of turn, angles, temperature,
    quaternion, battery volts x 100). It serves no standard Battery service: its charge is register 0x64.

    ``garbage_every``: every n-th notification is prefixed with junk bytes (the decoder must resynchronise)."""

    name = "WT901BLE68"
    service_uuid = wit.SERVICE_UUID
    serves_battery_service = False

    def __init__(self, *args: Any, garbage_every: int = 0, **kwargs: Any) -> None:
        self.garbage_every = garbage_every
        self.unlocked = False
        self.rate_code = wit.RATE_CODES[10]
        self._notifications = 0
        self.command_times_s: list[float] = []
        super().__init__(*args, **kwargs)

    def services(self) -> list[tuple[str, list[ServedChar]]]:
        self.data = ServedChar(wit.NOTIFY_UUID, ("notify",))
        write = ServedChar(wit.WRITE_UUID, ("write", "write-without-response"), write=self._on_write)
        return [(wit.SERVICE_UUID, [self.data, write])]

    def on_link_up(self) -> None:
        self.streaming = True  # WitMotion streams whenever a central listens

    def _on_write(self, data: bytes) -> None:
        if len(data) != 5 or data[:2] != b"\xff\xaa":
            raise AttError(0x0E, "not a WitMotion command")
        reg, value = data[2], data[3]
        self.on_event({"event": "command", "hex": data.hex(), "t_s": self.now_s()})
        self.command_times_s.append(self.now_s())
        if data == wit.UNLOCK:
            self.unlocked = True
        elif reg == wit.RATE_REGISTER and self.unlocked:
            self.rate_code = value
            codes = {code: hz for hz, code in wit.RATE_CODES.items()}
            self.rate_hz = codes.get(value, self.rate_hz)
            self._next_index = math.floor(self.now_s() * self.rate_hz) + 1
        elif reg == 0x27:
            registers = self.registers()
            reply = wit.encode_register(value, [registers.get(value + i, 0) for i in range(8)])
            self._spawn(self._notify(self.data, reply, is_data=False), "register reply")
        elif data == wit.SAVE:
            self.unlocked = False

    def registers(self) -> dict[int, int]:
        """The registers a read can reach, as the device would hold them now (int16 each)."""
        acc_g, gyr_dps, _force = self.motion.sample(np.array([self.now_s()]))
        angles = _angles_deg(acc_g[0])
        raw = wit.encode_sample(acc_g[0], gyr_dps[0], angles)
        regs = dict(enumerate(struct.unpack("<9h", raw[2:]), start=0x34))  # 0x34-0x36 acc, 0x37-0x39 gyro
        regs[0x3D], regs[0x3E], regs[0x3F] = (
            regs.pop(0x3A),
            regs.pop(0x3B),
            regs.pop(0x3C),
        )  # angles; no magnet
        regs[wit.RATE_REGISTER] = self.rate_code
        regs[wit.TEMPERATURE_REGISTER] = 2500  # 25.00 degrees C
        for i, q in enumerate(_quaternion(*angles)):
            regs[wit.QUATERNION_REGISTER + i] = max(-32768, min(32767, round(q * 32768)))
        regs[wit.BATTERY_REGISTER] = wit.battery_voltage_x100(
            self.battery_pct if self.battery_pct is not None else 0
        )
        return regs

    async def emit(self, t_s: np.ndarray) -> None:
        acc_g, gyr_dps, _force = self.motion.sample(t_s)
        for i in range(len(t_s)):
            packet = wit.encode_sample(acc_g[i], gyr_dps[i], _angles_deg(acc_g[i]))
            self._notifications += 1
            if self.garbage_every and self._notifications % self.garbage_every == 0:
                packet = b"\x55\x00\x13" + packet
            await self._notify(self.data, packet)


class PolarPeripheral(SensorPeripheral):
    """A Polar sensor (``model``: "verity_sense", the default, or "h10") answering the control point as that
    device does: its measurements on a read, its offered settings on a settings request, a start response with
    its factor as a settings entry; then frames of ``frame_s`` seconds in its own format (the Verity Sense:
    compressed type 0, acceleration in G; the H10: raw 16-bit acceleration in mG, and no gyro)."""

    service_uuid = pmd.SERVICE_UUID

    def __init__(self, *args: Any, model: str = "verity_sense", frame_s: float = 0.1, **kwargs: Any) -> None:
        self.model = pc.MODELS[model]
        self.name = f"{self.model.name} B5A3E92F"
        self.frame_s = frame_s
        self.active: dict[int, dict[int, int]] = {}  # measurement -> the settings it was started with
        self._buffer: list[float] = []
        super().__init__(*args, **kwargs)
        self.rate_hz = max(self.model.offers[pmd.MeasurementType.ACC][pc.Setting.SAMPLE_RATE])

    def services(self) -> list[tuple[str, list[ServedChar]]]:
        self.control = ServedChar(
            # The real control point indicates; served with notify too, since ServedChar only notifies.
            pmd.CONTROL_UUID,
            ("read", "write", "notify", "indicate"),
            read=lambda: pc.encode_features(self.model.measurements),
            write=self._on_write,
        )
        self.data = ServedChar(pmd.DATA_UUID, ("notify",))
        return [(pmd.SERVICE_UUID, [self.control, self.data])]

    def _on_write(self, data: bytes) -> None:
        if len(data) < 2 or data[0] not in (pc.Op.GET_SETTINGS, pc.Op.START, pc.Op.STOP):
            raise AttError(0x0E, "not a PMD command")
        self.on_event({"event": "command", "hex": data.hex(), "t_s": self.now_s()})
        self._spawn(self._notify(self.control, self._answer(data), is_data=False), "control response")

    def _answer(self, data: bytes) -> bytes:
        op, measurement = data[0], data[1]
        offers = self.model.offers.get(measurement)
        if offers is None:
            return pc.encode_response(op, measurement, status=3)  # not supported
        if op == pc.Op.GET_SETTINGS:
            return pc.encode_response(op, measurement, pc.encode_settings(offers))
        if op == pc.Op.STOP:
            self.active.pop(measurement, None)
            self.streaming = bool(self.active)
            return pc.encode_response(op, measurement)
        if measurement in self.active:
            return pc.encode_response(op, measurement, status=6)  # already started
        try:
            asked = {k: int(v[0]) for k, v in pc.parse_settings(data[2:]).items()}
        except ProtocolError:
            return pc.encode_response(op, measurement, status=4)
        for kind, value in asked.items():
            if value not in offers.get(kind, ()):
                return pc.encode_response(op, measurement, status={0: 8, 1: 7, 2: 9, 4: 11}.get(kind, 5))
        self.active[measurement] = asked
        if not self.streaming:
            self.rate_hz = asked.get(pc.Setting.SAMPLE_RATE, self.rate_hz)
            self._buffer.clear()
            self._next_index = math.floor(self.now_s() * self.rate_hz) + 1
        self.streaming = True
        factor = self.model.factors.get(measurement)
        params = b"" if factor is None else pc.encode_settings({pc.Setting.FACTOR: factor})
        return pc.encode_response(op, measurement, params)

    def on_link_up(self) -> None:
        self.active.clear()  # a real sensor stops streaming when the link goes
        self.streaming = False

    def frame_samples(self) -> int:
        return max(1, round(self.frame_s * self.rate_hz))

    async def emit(self, t_s: np.ndarray) -> None:
        self._buffer.extend(float(t) for t in t_s)
        while len(self._buffer) >= self.frame_samples():
            n = self.frame_samples()
            times = np.array(self._buffer[:n])
            del self._buffer[:n]
            acc_g, gyr_dps, _force = self.motion.sample(times)
            last_ns = POLAR_EPOCH_NS + round(float(times[-1]) * 1e9)
            for measurement in sorted(self.active):
                await self._notify(self.data, self.frame(measurement, last_ns, acc_g, gyr_dps))

    def frame(self, measurement: int, last_ns: int, acc_g: np.ndarray, gyr_dps: np.ndarray) -> bytes:
        """One data frame of ``measurement`` in this model's format, from (n, 3) acc_g / gyr_dps."""
        compressed, frame_type = self.model.frames[measurement]
        factor = self.model.factors.get(measurement, 1.0)
        if measurement == pmd.MeasurementType.ACC:
            in_g = compressed and frame_type == 0 and self.model.acc_type0_in_g
            counts = acc_g / factor if in_g else acc_g * 1000 / factor
        else:
            counts = gyr_dps / factor
        samples = np.clip(np.rint(counts), -32768, 32767).astype(int).tolist()
        if compressed:
            return pmd.encode_compressed_frame(measurement, last_ns, samples, frame_type=frame_type)
        return pmd.encode_raw_frame(measurement, last_ns, samples, step=frame_type + 1)


PERIPHERALS: dict[str, type[SensorPeripheral]] = {"witmotion": WitMotionPeripheral, "polar": PolarPeripheral}


async def run(
    kind: str,
    transport: str,
    *,
    motion: MotionSource,
    on_event: EventSink | None = None,
    duration_s: float | None = None,
    **options: Any,
) -> None:
    """Advertise a simulated ``kind`` sensor on a bumble transport until cancelled (or for ``duration_s``)."""
    cls = PERIPHERALS[kind]
    stack = await BumbleStack.open(transport, name=kind)
    peripheral = cls(stack, motion, on_event=on_event, **options)
    try:
        await peripheral.start()
        if duration_s is None:
            await asyncio.Event().wait()
        else:
            await asyncio.sleep(duration_s)
    finally:
        await peripheral.stop()
        await stack.close()


def parse_drops(spec: str) -> list[tuple[float, float]]:
    """``drop@AT+HIDE,...`` (seconds) as ``(at_s, hide_s)`` pairs; the sensors simulate no other link fault."""
    from repquest.simulator.faults import Disconnect

    from .bumble_peripheral import parse_faults

    drops = []
    for fault in parse_faults(spec):
        if not isinstance(fault, Disconnect):
            raise ValueError(
                f"the simulated sensors only drop the link (drop@S+S), not {type(fault).__name__}"
            )
        drops.append((fault.at_s, fault.outage_s))
    return drops


def main(argv: list[str] | None = None) -> int:
    from repquest.simulator.exercise_models import build_set

    parser = argparse.ArgumentParser(prog="python -m repquest.ble.bumble_sensors", description=__doc__)
    parser.add_argument("kind", choices=sorted(PERIPHERALS))
    parser.add_argument("transport", help="bumble transport: tcp-client:HOST:PORT, usb:0")
    parser.add_argument("--exercise", default="knee_extension")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument(
        "--faults", default="", help="drop@S+S (comma-separated): drop the link, hide S seconds"
    )
    parser.add_argument(
        "--model", choices=sorted(pc.MODELS), default="verity_sense", help="polar only: which Polar sensor"
    )
    args = parser.parse_args(argv)
    extra = {"model": args.model} if args.kind == "polar" else {}
    motion = build_set(args.exercise, args.reps, seed=args.seed)
    drops = parse_drops(args.faults)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            run(
                args.kind,
                args.transport,
                motion=motion,
                on_event=lambda e: print(json.dumps(e), flush=True),
                duration_s=args.duration,
                drops=drops,
                **extra,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
