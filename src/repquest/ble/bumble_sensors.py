"""Off-the-shelf sensors on the air: a WitMotion IMU and a Polar PMD sensor as bumble peripherals.

Each serves its device's GATT layout and emits its exact bytes (:func:`.witmotion.encode_sample`,
:func:`.polar_pmd.encode_delta_frame`) from a :class:`~repquest.simulator.puck.MotionSource`, so the session's
profiles are tested end to end over a real BLE stack. WitMotion streams at 10 Hz until told otherwise (unlock,
rate, save) and answers register reads; Polar streams a measurement after its start command, answering with a
conversion factor on the control point. bumble is reached only through :mod:`.bumble_link`.

Run one as ``python -m repquest.ble.bumble_sensors witmotion|polar TRANSPORT``.
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
from repquest.simulator.puck import MotionSource

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
        if battery_pct is not None:
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


class WitMotionPeripheral(SensorPeripheral):
    """A WT9011DCL-BT5.0: streams ``55 61`` packets from connect (10 Hz until a saved rate command).

    ``garbage_every``: every n-th notification is prefixed with junk bytes (the decoder must resynchronise)."""

    name = "WT901BLE68"
    service_uuid = wit.SERVICE_UUID

    def __init__(self, *args: Any, garbage_every: int = 0, **kwargs: Any) -> None:
        self.garbage_every = garbage_every
        self.unlocked = False
        self.rate_code = wit.RATE_CODES[10]
        self._notifications = 0
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
        if data == wit.UNLOCK:
            self.unlocked = True
        elif reg == wit.RATE_REGISTER and self.unlocked:
            self.rate_code = value
            codes = {code: hz for hz, code in wit.RATE_CODES.items()}
            self.rate_hz = codes.get(value, self.rate_hz)
            self._next_index = math.floor(self.now_s() * self.rate_hz) + 1
        elif reg == 0x27:
            reply = wit.encode_register(
                value, [self.rate_code if value == wit.RATE_REGISTER else 0] + [0] * 7
            )
            self._spawn(self._notify(self.data, reply, is_data=False), "register reply")
        elif data == wit.SAVE:
            self.unlocked = False

    async def emit(self, t_s: np.ndarray) -> None:
        acc_g, gyr_dps, _force = self.motion.sample(t_s)
        for i in range(len(t_s)):
            packet = wit.encode_sample(acc_g[i], gyr_dps[i], _angles_deg(acc_g[i]))
            self._notifications += 1
            if self.garbage_every and self._notifications % self.garbage_every == 0:
                packet = b"\x55\x00\x13" + packet
            await self._notify(self.data, packet)


class PolarPeripheral(SensorPeripheral):
    """A Verity Sense: ACC and GYRO PMD measurements, delta-compressed frames of ``frame_s`` seconds."""

    name = "Polar Sense B5A3E92F"
    service_uuid = pmd.SERVICE_UUID
    ACC_FACTOR = 8000 / 32768  # mG per LSB at +-8 g
    GYRO_FACTOR = 2000 / 32768  # deg/s per LSB at +-2000 deg/s

    def __init__(self, *args: Any, rate_hz: int = 52, frame_s: float = 0.1, **kwargs: Any) -> None:
        self.frame_samples = max(1, round(frame_s * rate_hz))
        self.active: set[int] = set()
        self._buffer: list[float] = []
        super().__init__(*args, **kwargs)
        self.rate_hz = rate_hz

    def services(self) -> list[tuple[str, list[ServedChar]]]:
        self.control = ServedChar(
            # The real control point indicates; served with notify too, since ServedChar only notifies.
            pmd.CONTROL_UUID,
            ("read", "write", "notify", "indicate"),
            read=lambda: b"\x0f\x24\x00",
            write=self._on_write,
        )
        self.data = ServedChar(pmd.DATA_UUID, ("notify",))
        return [(pmd.SERVICE_UUID, [self.control, self.data])]

    def _on_write(self, data: bytes) -> None:
        if len(data) < 2 or data[0] not in (0x02, 0x03):
            raise AttError(0x0E, "not a PMD command")
        op, measurement = data[0], data[1]
        self.on_event({"event": "command", "hex": data.hex(), "t_s": self.now_s()})
        response = bytes([0xF0, op, measurement, 0x00, 0x00])
        if op == 0x02:
            factor = self.ACC_FACTOR if measurement == pmd.MeasurementType.ACC else self.GYRO_FACTOR
            response += struct.pack("<f", factor)
            self.active.add(measurement)
            if not self.streaming:
                self._buffer.clear()
                self._next_index = math.floor(self.now_s() * self.rate_hz) + 1
            self.streaming = True
        else:
            self.active.discard(measurement)
            self.streaming = bool(self.active)
        self._spawn(self._notify(self.control, response, is_data=False), "control response")

    def on_link_up(self) -> None:
        self.active.clear()
        self.streaming = False

    async def emit(self, t_s: np.ndarray) -> None:
        self._buffer.extend(float(t) for t in t_s)
        while len(self._buffer) >= self.frame_samples:
            times = np.array(self._buffer[: self.frame_samples])
            del self._buffer[: self.frame_samples]
            acc_g, gyr_dps, _force = self.motion.sample(times)
            last_ns = POLAR_EPOCH_NS + round(float(times[-1]) * 1e9)
            for measurement in sorted(self.active):
                if measurement == pmd.MeasurementType.ACC:
                    raw = np.rint(acc_g * 1000 / self.ACC_FACTOR)
                else:
                    raw = np.rint(gyr_dps / self.GYRO_FACTOR)
                samples = np.clip(raw, -32768, 32767).astype(int).tolist()
                await self._notify(self.data, pmd.encode_delta_frame(measurement, last_ns, samples))


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
    args = parser.parse_args(argv)
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
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
