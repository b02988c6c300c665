"""The virtual puck on the air: a BLE peripheral serving PROTOCOL.md's GATT profile from a VirtualPuck.

It runs on the wall clock: a pump, once per connection interval, runs the puck's firmware up to now, passes
what it sent through optional link faults (:mod:`repquest.simulator.faults`), and notifies each notification
at its due time. Commands written to the Control characteristic go to the puck; a malformed one is answered
with the ATT error of PROTOCOL.md section 4.1. The puck stops streaming when the link drops and keeps its
sequence counter (section 7). bumble is reached only through :mod:`.bumble_link`.

Run it as ``repquest simulate --ble TRANSPORT`` or ``python -m repquest.ble.bumble_peripheral TRANSPORT``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from repquest import firmware_protocol as fp
from repquest.clock import Clock, WallClock
from repquest.errors import ProtocolError
from repquest.firmware_protocol import gatt
from repquest.simulator.faults import CorruptBytes, Fault, FaultChain, LinkDrop, PacketLoss, Stall
from repquest.simulator.faults import Disconnect as DropFault
from repquest.simulator.puck import Emission, MotionSource, VirtualPuck

from .bumble_link import AttError, BumbleStack, LinkError, ServedChar, ServerConnection

__all__ = ["PuckPeripheral", "att_error_for", "parse_faults", "run"]

EventSink = Callable[[dict[str, Any]], None]


def att_error_for(data: bytes, exc: ProtocolError) -> int:
    """The ATT error code of PROTOCOL.md section 4.1 for a command the puck rejected."""
    if not data or data[0] != fp.PROTOCOL_VERSION:
        return 0x80
    if len(data) < 2 or data[1] not in fp.Opcode._value2member_map_:
        return 0x81
    text = str(exc)
    if "must be" in text or "unsupported" in text or "unknown pattern" in text:
        return 0x83
    return 0x82


def parse_faults(spec: str, seed: int = 0) -> list[Fault]:
    """Faults from ``drop@AT+OUTAGE,stall@AT+DURATION,garbage:P,loss:P`` (seconds, probabilities)."""
    faults: list[Fault] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            if part.startswith(("drop@", "stall@")):
                kind, _, rest = part.partition("@")
                at, _, length = rest.partition("+")
                if kind == "drop":
                    faults.append(DropFault(at_s=float(at), outage_s=float(length or 1.0)))
                else:
                    faults.append(Stall(start_s=float(at), duration_s=float(length or 1.0)))
            elif part.startswith("garbage:"):
                faults.append(CorruptBytes(probability=float(part[8:]), seed=seed, mode="truncate"))
            elif part.startswith("loss:"):
                faults.append(PacketLoss(probability=float(part[5:]), seed=seed))
            else:
                raise ValueError(part)
        except ValueError:
            raise ValueError(f"bad fault {part!r}: use drop@S+S, stall@S+S, garbage:P or loss:P") from None
    return faults


class PuckPeripheral:
    """Serve ``puck`` over ``stack`` as a BLE peripheral.

    Args:
        stack: the bumble host (peripheral role).
        puck: the emulated firmware (its true time is seconds since :meth:`start`).
        faults: link faults applied to what the puck sends (a LinkDrop disconnects and hides the puck).
        on_event: receives ``{"event": ...}`` dicts: advertising, connected, disconnected, command, dropped.
        interval_s: how often the pump runs (a connection interval).
        clock: the wall clock live; tests may pass the VirtualClock the whole link runs on.
    """

    def __init__(
        self,
        stack: BumbleStack,
        puck: VirtualPuck,
        *,
        faults: list[Fault] | None = None,
        on_event: EventSink | None = None,
        interval_s: float = 0.0075,
        clock: Clock | None = None,
    ) -> None:
        self.clock: Clock = clock or WallClock()
        self.stack = stack
        self.puck = puck
        self.faults = FaultChain(faults or [])
        self.on_event = on_event or (lambda _e: None)
        self.interval_s = interval_s
        self.origin_s = 0.0
        self.sent = 0
        self._queue: deque[Emission] = deque()
        self._connections: list[ServerConnection] = []
        self._hidden_until_s = float("-inf")
        self._pump: asyncio.Task[None] | None = None
        self._advertising = False
        self.data = ServedChar(fp.DATA_CHAR_UUID, ("notify",))
        self.status = ServedChar(
            fp.STATUS_CHAR_UUID, ("read", "notify"), read=self._read(fp.STATUS_CHAR_UUID)
        )
        self.battery = ServedChar(
            gatt.BATTERY_LEVEL_UUID, ("read", "notify"), read=self._read(gatt.BATTERY_LEVEL_UUID)
        )
        control = ServedChar(fp.CONTROL_CHAR_UUID, ("write",), write=self._on_control)
        info = [
            ServedChar(uuid, ("read",), read=self._read(uuid))
            for uuid in (
                gatt.MANUFACTURER_NAME_UUID,
                gatt.MODEL_NUMBER_UUID,
                gatt.SERIAL_NUMBER_UUID,
                gatt.FIRMWARE_REVISION_UUID,
            )
        ]
        stack.serve(
            [
                (fp.PUCK_SERVICE_UUID, [self.data, control, self.status]),
                (gatt.DEVICE_INFO_SERVICE_UUID, info),
                (gatt.BATTERY_SERVICE_UUID, [self.battery]),
            ]
        )
        stack.on_connection(self._on_connection)

    def _read(self, uuid: str) -> Callable[[], bytes]:
        def read() -> bytes:
            self._sync_mtu()
            return self.puck.read(uuid)

        return read

    def _sync_mtu(self) -> None:
        if self._connections:
            self.puck.mtu = max(23, min(517, self._connections[-1].mtu))

    def now_s(self) -> float:
        return self.clock.now() - self.origin_s

    async def start(self) -> None:
        self.origin_s = self.clock.now()
        self.puck.now_s = 0.0
        await self._advertise()
        self._pump = asyncio.get_running_loop().create_task(self._run(), name="puck peripheral pump")

    async def stop(self) -> None:
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.cancel()
            await asyncio.wait({pump})
        for connection in list(self._connections):
            await connection.disconnect()

    async def _advertise(self) -> None:
        if not self._advertising:
            await self.stack.advertise(self.puck.name, [fp.PUCK_SERVICE_UUID])
            self._advertising = True
            self.on_event(
                {
                    "event": "advertising",
                    "name": self.puck.name,
                    "address": self.stack.address,
                    "origin_s": self.origin_s,  # clock reading at true time 0 (the loop's monotonic clock live)
                }
            )

    def _on_connection(self, connection: ServerConnection) -> None:
        self._connections.append(connection)
        self._advertising = False  # a connectable advertiser stops when a central connects
        self.on_event({"event": "connected", "peer": connection.peer_address})

        def lost(reason: int) -> None:
            with contextlib.suppress(ValueError):
                self._connections.remove(connection)
            self.puck.streaming = False  # section 7: stop streaming on a drop, keep the sequence counter
            self._queue.clear()
            self.on_event({"event": "disconnected", "reason": reason})

        connection.on_disconnection(lost)

    def _on_control(self, data: bytes) -> None:
        self._sync_mtu()
        try:
            command = self.puck.write(fp.CONTROL_CHAR_UUID, data)
        except ProtocolError as exc:
            code = att_error_for(data, exc)
            self.on_event({"event": "rejected", "hex": data.hex(), "att_error": code})
            raise AttError(code, str(exc)) from None
        params = {k: (v.name if hasattr(v, "name") else v) for k, v in command.params.items()}
        self.on_event(
            {"event": "command", "opcode": command.opcode.name, "params": params, "t_s": self.now_s()}
        )

    async def _run(self) -> None:
        while True:
            now_s = self.now_s()
            for item in self.faults.apply(self.puck.advance_to(now_s), now_s=now_s):
                if isinstance(item, LinkDrop):
                    await self._drop(item)
                elif self._connections:
                    self._queue.append(item)
            while self._queue and self._queue[0].t_s <= now_s:
                await self._send(self._queue.popleft())
            if not self._connections and not self._advertising and now_s >= self._hidden_until_s:
                with contextlib.suppress(LinkError):
                    await self._advertise()
            await self.clock.sleep(self.interval_s)

    async def _send(self, emission: Emission) -> None:
        char = self.data if emission.char_uuid == fp.DATA_CHAR_UUID else self.status
        try:
            await char.notify(emission.data)
        except LinkError:
            return  # the link went down under us: the host counts the gap
        self.sent += 1

    async def _drop(self, drop: LinkDrop) -> None:
        self._hidden_until_s = max(self._hidden_until_s, drop.reconnectable_at_s)
        self.on_event({"event": "dropped", "t_s": drop.t_s, "until_s": drop.reconnectable_at_s})
        if self._advertising:
            with contextlib.suppress(LinkError):
                await self.stack.stop_advertising()
            self._advertising = False
        for connection in list(self._connections):
            await connection.disconnect()


async def run(
    transport: str,
    *,
    motion: MotionSource,
    name: str = f"{fp.DEVICE_NAME_PREFIX} SIM",
    faults: list[Fault] | None = None,
    on_event: EventSink | None = None,
    duration_s: float | None = None,
) -> None:
    """Advertise a virtual puck on a bumble transport until cancelled (or for ``duration_s``)."""
    stack = await BumbleStack.open(transport, name=name)
    address = stack.address
    puck = VirtualPuck(motion, name=name, address=address)
    peripheral = PuckPeripheral(stack, puck, faults=faults, on_event=on_event)
    try:
        await peripheral.start()
        if duration_s is None:
            await asyncio.Event().wait()
        else:
            await asyncio.sleep(duration_s)
    finally:
        await peripheral.stop()
        await stack.close()


def _print_event(event: dict[str, Any]) -> None:
    print(json.dumps(event), flush=True)


def main(argv: list[str] | None = None) -> int:
    from repquest.simulator.exercise_models import build_set

    parser = argparse.ArgumentParser(prog="python -m repquest.ble.bumble_peripheral", description=__doc__)
    parser.add_argument(
        "transport", help="bumble transport: tcp-client:HOST:PORT, link-server:HOST:PORT, usb:0"
    )
    parser.add_argument("--exercise", default="knee_extension")
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--faults", default="", help="drop@S+S, stall@S+S, garbage:P, loss:P (comma-separated)"
    )
    parser.add_argument("--duration", type=float, default=None, help="seconds to run (default: until Ctrl-C)")
    args = parser.parse_args(argv)
    motion = build_set(args.exercise, args.reps, seed=args.seed)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            run(
                args.transport,
                motion=motion,
                faults=parse_faults(args.faults, args.seed),
                on_event=_print_event,
                duration_s=args.duration,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
