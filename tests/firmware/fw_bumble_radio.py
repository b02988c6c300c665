"""A radio for the stand-in aioble that puts the firmware on a bumble link: its GATT profile served by a bumble
host (through repquest.ble.bumble_link), so a central reaches it through bleak as it would reach the board."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any

from repquest.ble.bumble_link import BumbleStack, LinkError, ServedChar, ServerConnection


def ad_fields(payload: bytes) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    i = 0
    while i + 1 < len(payload):
        length = payload[i]
        out[payload[i + 1]] = payload[i + 2 : i + 1 + length]
        i += 1 + length
    return out


def uuid128(raw_le: bytes) -> str:
    h = raw_le[::-1].hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class BumbleRadio:
    """aioble's radio on ``stack``; ``aioble`` is the stand-in module (its connection type is used)."""

    def __init__(self, stack: BumbleStack, aioble: Any) -> None:
        self.stack = stack
        self.aioble = aioble
        self.served: dict[int, ServedChar] = {}
        self.connection: Any = None
        self._incoming: asyncio.Future[Any] | None = None
        self._outbox: asyncio.Queue[tuple[ServedChar, bytes]] = asyncio.Queue()
        self._sender = asyncio.get_running_loop().create_task(self._send())
        self.advertised: list[tuple[bytes, bytes]] = []
        stack.on_connection(self._on_connection)

    def register(self, services: Iterable[Any]) -> None:
        table = []
        for service in services:
            chars = []
            for char in service.characteristics:
                props = tuple(
                    name
                    for name, on in (
                        ("read", char.can_read),
                        ("write", char.can_write),
                        ("notify", char.can_notify),
                    )
                    if on
                )
                served = ServedChar(
                    str(char.uuid),
                    props,
                    read=(lambda c=char: c.read()) if char.can_read else None,
                    write=(lambda data, c=char: c.remote_write(self.connection, data))
                    if char.can_write
                    else None,
                )
                self.served[id(char)] = served
                chars.append(served)
            table.append((str(service.uuid), chars))
        self.stack.serve(table)

    async def advertise(self, adv_data: bytes, resp_data: bytes) -> Any:
        # bumble_link advertises a name and service UUIDs: the firmware's payload is read back into those
        # (its Battery service data does not reach bumble's scanner; the in-memory tests check those bytes).
        self.advertised.append((adv_data, resp_data))
        fields = ad_fields(adv_data)
        name = ad_fields(resp_data)[0x09].decode()
        self._incoming = asyncio.get_running_loop().create_future()
        await self.stack.advertise(name, [uuid128(fields[0x07])])
        return await self._incoming

    def _on_connection(self, link: ServerConnection) -> None:
        connection = BumbleConnection(link)
        self.connection = connection

        def lost(_reason: int) -> None:
            connection.lost()

        link.on_disconnection(lost)
        if self._incoming is not None and not self._incoming.done():
            self._incoming.set_result(connection)

    def notify(self, characteristic: Any, connection: Any, data: bytes) -> None:
        if not connection.is_connected():
            raise OSError(128, "ENOTCONN")
        self._outbox.put_nowait((self.served[id(characteristic)], data))

    async def _send(self) -> None:
        while True:
            served, data = await self._outbox.get()
            with contextlib.suppress(LinkError):
                await served.notify(data)

    async def close(self) -> None:
        self._sender.cancel()
        await asyncio.gather(self._sender, return_exceptions=True)


class BumbleConnection:
    """aioble's DeviceConnection over a bumble server connection: the MTU is the link's, once exchanged."""

    def __init__(self, link: ServerConnection) -> None:
        self._link = link
        self._conn_handle: int | None = 1
        self._lost = asyncio.Event()

    @property
    def mtu(self) -> int | None:
        mtu = self._link.mtu
        return mtu if mtu > 23 else None

    def is_connected(self) -> bool:
        return self._conn_handle is not None

    async def disconnected(self, timeout_ms: int | None = 60_000, disconnect: bool = False) -> None:
        await self._lost.wait()

    def lost(self) -> None:
        self._conn_handle = None
        self._lost.set()
