"""Google's bumble BLE stack behind a small typed API: the one module of RepQuest that imports bumble.

Everything bumble-specific lives here: virtual links (one process, or many over TCP), the host stack of this
process (one bumble ``Device``: scanner, central and peripheral share it), GATT client links and a GATT server.
The bleak backend (:mod:`.bumble_backend`) and the BLE virtual puck (:mod:`.bumble_peripheral`) build on this
API and never see a bumble type, so a bumble upgrade touches one file. bumble is an optional extra
(``pip install repquest[ble-sim]``): importing this module without it raises ImportError.

Pitfalls worked around (``BLE_NOTES.md``): the virtual controller never answers ``LE_Create_Connection_Cancel``
with the Connection Complete the spec requires (:class:`_Controller` does); bumble's ``tcp-server`` transport
cannot serve a second host after the first left, so :class:`VirtualLink` gives every TCP connection its own
controller; a lost HCI transport is not reported as a disconnection, so :class:`BumbleStack` synthesises one;
controllers bind to the running loop, so links are built per loop (per test); string addresses lose their
type, so the stack remembers the types it saw in advertisements.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bumble import hci
from bumble.att import ATT_Error
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData, BaseBumbleError
from bumble.device import Advertisement, Connection, Device, Peer
from bumble.gatt import Characteristic, CharacteristicValue, Service
from bumble.gatt_client import CharacteristicProxy
from bumble.link import LocalLink
from bumble.transport import open_transport
from bumble.transport.common import AsyncPipeSink, StreamPacketSink, StreamPacketSource

from repquest.clock import Clock, WallClock, wait_for
from repquest.errors import DeviceError

__all__ = [
    "AttError",
    "BumbleStack",
    "GattLink",
    "LinkError",
    "RemoteChar",
    "RemoteService",
    "ScanReport",
    "ServedChar",
    "VirtualLink",
    "bumble_version",
]

log = logging.getLogger(__name__)
_WALL = WallClock()
T = TypeVar("T")

DEFAULT_OP_TIMEOUT_S = 5.0
MAX_MTU = 517
_UNKNOWN_CONNECTION = 0x02
_REMOTE_USER_TERMINATED = 0x13


def bumble_version() -> str:
    from bumble import _version

    return str(_version.version)


class LinkError(DeviceError, ConnectionError):
    """The HCI transport or the connection is down, or an operation timed out on the link (a DeviceError, so
    the CLI reports it in one line)."""


class AttError(LinkError):
    """The peer answered an ATT request with an error response (``code`` per Vol 3, Part F 3.4.1.1)."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message or f"ATT error 0x{code:02x}")
        self.code = code


async def _bounded(awaitable: Awaitable[T], timeout_s: float, what: str, clock: Clock | None = None) -> T:
    """Every await on the stack is bounded (on ``clock``, the wall clock by default); bumble errors become ours."""
    try:
        return await wait_for(clock or _WALL, awaitable, timeout_s)
    except TimeoutError:
        raise LinkError(f"{what}: no answer within {timeout_s:.3g} s") from None
    except ATT_Error as exc:
        raise AttError(exc.error_code, f"{what}: {exc}") from None
    except (BaseBumbleError, OSError, EOFError) as exc:
        raise LinkError(f"{what}: {exc}") from exc


# -- virtual links ---------------------------------------------------------------------------------------------


class _Controller(Controller):
    """bumble's virtual controller, answering a connection cancel as the spec requires (Vol 4, Part E 7.8.13)."""

    def on_hci_le_create_connection_command(self, command: Any) -> Any:
        result = super().on_hci_le_create_connection_command(command)
        # The target's next advertisement would come on a wall-clock timer; send it now, so a connection to an
        # advertising peripheral completes without waiting on wall time (tests run on a virtual clock).
        loop = asyncio.get_running_loop()
        for other in list(self.link.controllers):
            if other is self:
                continue
            legacy = other.le_legacy_advertiser
            if legacy.enabled and other.random_address == command.peer_address:
                loop.call_soon(legacy.send_advertising_data)
            for adv_set in list(other.advertising_sets.values()):
                if adv_set.enabled and adv_set.address == command.peer_address:
                    loop.call_soon(adv_set.send_extended_advertising_data)
        return result

    def on_hci_le_create_connection_cancel_command(self, command: Any) -> Any:
        result = super().on_hci_le_create_connection_cancel_command(command)
        if self.pending_le_connection is not None:
            pending, self.pending_le_connection = self.pending_le_connection, None
            event = hci.HCI_LE_Connection_Complete_Event(
                status=hci.HCI_ErrorCode.UNKNOWN_CONNECTION_IDENTIFIER_ERROR,
                connection_handle=0,
                role=hci.Role.CENTRAL,
                peer_address_type=pending.peer_address.address_type,
                peer_address=pending.peer_address,
                connection_interval=0,
                peripheral_latency=0,
                supervision_timeout=0,
                central_clock_accuracy=0,
            )
            # After the Command Complete that the dispatcher sends for our return value.
            asyncio.get_running_loop().call_soon(self.send_hci_packet, event)
        return result

    def vanish(self) -> None:
        """The host behind this controller is gone: end its connections as a supervision timeout would."""
        for connection in list(self.le_connections.values()):
            with contextlib.suppress(Exception):
                self.link.send_ll_control_pdu(
                    connection.self_address, connection.peer_address, _terminate_ind(_REMOTE_USER_TERMINATED)
                )
        self.le_connections.clear()
        self.le_legacy_advertiser.stop()
        for adv_set in self.advertising_sets.values():
            adv_set.stop()
        with contextlib.suppress(KeyError):
            self.link.remove_controller(self)


def _terminate_ind(reason: int) -> Any:
    from bumble import ll

    return ll.TerminateInd(reason)


class VirtualLink:
    """A virtual radio: controllers on one bumble ``LocalLink``, in this process or reached over TCP.

    Build one per event loop (per test). :meth:`serve_tcp` lets other processes join: each TCP connection
    (bumble transport ``tcp-client:HOST:PORT`` on their side) gets a fresh controller of its own, removed again
    (its connections terminated) when the connection closes.
    """

    def __init__(self) -> None:
        self._link = LocalLink()  # type: ignore[no-untyped-call]
        self._count = 0
        self._servers: list[asyncio.Server] = []

    def _controller(self, name: str) -> _Controller:
        self._count += 1
        return _Controller(f"{name}-{self._count}", link=self._link)

    async def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Accept hosts over TCP (HCI H4 framing); returns the port."""
        loop = asyncio.get_running_loop()
        link = self

        class _Peer(StreamPacketSource):
            controller: _Controller | None = None

            def connection_made(self, transport: Any) -> None:
                self.controller = link._controller("tcp")
                self.controller.host = StreamPacketSink(transport)
                self.set_packet_sink(self.controller)

            def connection_lost(self, exc: Exception | None) -> None:
                if self.controller is not None:
                    self.controller.vanish()
                self.on_transport_lost()

        server = await loop.create_server(_Peer, host, port)
        self._servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    def attach(self, name: str) -> tuple[Any, Any]:
        """A controller on this link for a host in this process: its (hci_source, hci_sink)."""
        controller = self._controller(name)
        return controller, AsyncPipeSink(controller)

    async def close(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)
        self._servers.clear()


# -- the stack of this process ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanReport:
    """One advertisement: ``address`` without type suffix, ``service_uuids`` lower-case 128-bit strings."""

    address: str
    address_type: int
    name: str | None
    service_uuids: tuple[str, ...]
    manufacturer_data: dict[int, bytes]
    rssi: int
    tx_power: int | None
    connectable: bool


@dataclass(frozen=True, slots=True)
class RemoteChar:
    handle: int
    uuid: str
    properties: tuple[str, ...]  # bleak's names: "read", "write", "notify", ...
    descriptors: tuple[tuple[int, str], ...]  # (handle, uuid)


@dataclass(frozen=True, slots=True)
class RemoteService:
    handle: int
    end_handle: int
    uuid: str
    characteristics: tuple[RemoteChar, ...]


_PROPERTY_NAMES = {
    0x01: "broadcast",
    0x02: "read",
    0x04: "write-without-response",
    0x08: "write",
    0x10: "notify",
    0x20: "indicate",
    0x40: "authenticated-signed-writes",
    0x80: "extended-properties",
}


def _full_uuid(uuid: UUID) -> str:
    """A bumble UUID as bleak's lower-case 128-bit string."""
    raw = bytes(reversed(uuid.to_bytes(force_128=True)))
    h = raw.hex()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


class BumbleStack:
    """The bumble host of this process (one ``Device``: pitfall 4), on a virtual link or a bumble transport.

    Open with :meth:`open`: ``spec`` is a bumble transport name (``usb:0``, ``tcp-client:127.0.0.1:9100``,
    ``serial:/dev/ttyACM0``...), ``link-server:HOST:PORT`` to host a :class:`VirtualLink` that other processes
    join over TCP, or a :class:`VirtualLink` object for one in this process.
    """

    def __init__(
        self, device: Device, transport: Any, link: VirtualLink | None, name: str, clock: Clock | None = None
    ) -> None:
        self.clock: Clock = clock or _WALL
        self.device = device
        self.name = name
        self.link = link
        self._transport = transport
        self._own_link = False
        self._lost = False
        self._address_types: dict[str, int] = {}
        self._last_reports: dict[str, ScanReport] = {}
        self._scan_listeners: list[Callable[[ScanReport], None]] = []
        self._scanning = 0
        self._links: set[GattLink] = set()
        self._lost_listeners: list[Callable[[], None]] = []
        self.op_timeout_s = DEFAULT_OP_TIMEOUT_S
        device.on("advertisement", self._on_advertisement)
        source = transport.source if transport is not None else None
        if source is not None and hasattr(source, "terminated"):
            source.terminated.add_done_callback(lambda _f: self._on_transport_lost())

    @classmethod
    async def open(
        cls,
        spec: str | VirtualLink,
        *,
        name: str = "RepQuest host",
        address: str | None = None,
        timeout_s: float = 10.0,
        clock: Clock | None = None,
    ) -> BumbleStack:
        """Power on a host on ``spec``; LinkError if the transport cannot be opened."""
        link: VirtualLink | None = None
        own_link = False
        transport: Any = None
        if isinstance(spec, VirtualLink):
            link = spec
        elif spec.startswith("link-server:"):
            host, _, port = spec.removeprefix("link-server:").rpartition(":")
            link, own_link = VirtualLink(), True
            await link.serve_tcp(host or "127.0.0.1", int(port))
        if link is not None:
            source, sink = link.attach(name)
        else:
            what = f"cannot open bumble transport {spec} (try link-server:HOST:PORT, tcp-client:HOST:PORT or usb:0)"
            transport = await _bounded(open_transport(str(spec)), timeout_s, what)
            source, sink = transport.source, transport.sink
        static = address or _random_static_address()
        device = Device.with_hci(name, hci.Address(static), source, sink)
        stack = cls(device, transport, link, name, clock)
        stack._own_link = own_link
        if isinstance(source, Controller):
            source.terminated.add_done_callback(lambda _f: stack._on_transport_lost())
        await _bounded(device.power_on(), timeout_s, "power on the bumble host")
        return stack

    @property
    def address(self) -> str:
        return str(self.device.random_address.to_string(with_type_qualifier=False))

    @property
    def transport_lost(self) -> bool:
        return self._lost

    async def close(self) -> None:
        for gatt_link in list(self._links):
            await gatt_link.disconnect()
        if self._transport is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._transport.close(), 2.0)
        if self.link is not None and self._own_link:
            await self.link.close()

    def on_transport_lost(self, listener: Callable[[], None]) -> None:
        self._lost_listeners.append(listener)

    def _on_transport_lost(self) -> None:
        if self._lost:
            return
        self._lost = True
        log.warning("bumble HCI transport lost: every connection counts as dropped")
        for gatt_link in list(self._links):
            gatt_link._on_disconnection(_REMOTE_USER_TERMINATED)  # pitfall 3: bumble says nothing
        for listener in self._lost_listeners:
            listener()

    def _check(self) -> None:
        if self._lost:
            raise LinkError("the Bluetooth controller is gone (HCI transport lost)")

    # scanning ---------------------------------------------------------------------------------------------

    async def start_scan(self, listener: Callable[[ScanReport], None], active: bool = True) -> None:
        self._check()
        self._scan_listeners.append(listener)
        self._scanning += 1
        if self._scanning == 1:
            self._last_reports.clear()
            await _bounded(
                self.device.start_scanning(active=active, filter_duplicates=False),
                self.op_timeout_s,
                "start scanning",
                self.clock,
            )

    async def stop_scan(self, listener: Callable[[ScanReport], None]) -> None:
        with contextlib.suppress(ValueError):
            self._scan_listeners.remove(listener)
        self._scanning = max(0, self._scanning - 1)
        if self._scanning == 0 and not self._lost:
            await _bounded(self.device.stop_scanning(), self.op_timeout_s, "stop scanning", self.clock)

    def _on_advertisement(self, adv: Advertisement) -> None:
        address = str(adv.address.to_string(with_type_qualifier=False))
        self._address_types[address.upper()] = int(adv.address.address_type)
        data = adv.data
        uuids: list[str] = []
        for kind in (
            AdvertisingData.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
            AdvertisingData.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
        ):
            for uuid in data.get(kind) or []:
                uuids.append(_full_uuid(uuid))
        name = data.get(AdvertisingData.COMPLETE_LOCAL_NAME)
        short = data.get(AdvertisingData.SHORTENED_LOCAL_NAME)
        manufacturer: dict[int, bytes] = {}
        mfr = data.get(AdvertisingData.MANUFACTURER_SPECIFIC_DATA)
        if isinstance(mfr, tuple) and len(mfr) == 2:
            manufacturer[int(mfr[0])] = bytes(mfr[1])
        tx = adv.tx_power if adv.tx_power != Advertisement.TX_POWER_NOT_AVAILABLE else None
        # An advertisement and its scan response arrive as two reports: merge what each one carries.
        before = self._last_reports.get(address)
        if name is None and before is not None and before.name is not None:
            name = before.name  # a complete name seen before beats a shortened one
        name = name if name is not None else short
        if before is not None:
            uuids = uuids or list(before.service_uuids)
            manufacturer = manufacturer or before.manufacturer_data
        report = ScanReport(
            address=address,
            address_type=int(adv.address.address_type),
            name=str(name) if name is not None else None,
            service_uuids=tuple(uuids),
            manufacturer_data=manufacturer,
            rssi=int(adv.rssi),
            tx_power=tx,
            connectable=bool(adv.is_connectable),
        )
        self._last_reports[address] = report
        for listener in list(self._scan_listeners):
            listener(report)

    def address_type(self, address: str) -> int:
        """The type seen in the last advertisement from ``address`` (random otherwise: pitfall 6)."""
        return self._address_types.get(address.upper(), hci.Address.RANDOM_DEVICE_ADDRESS)

    # connecting -------------------------------------------------------------------------------------------

    async def connect(self, address: str, timeout_s: float = 10.0) -> GattLink:
        """Connect as central; LinkError when nothing answers within ``timeout_s``."""
        self._check()
        peer = hci.Address(address.upper(), hci.AddressType(self.address_type(address)))
        attempt = asyncio.ensure_future(self.device.connect(peer, timeout=None))
        with contextlib.suppress(TimeoutError):
            await wait_for(self.clock, asyncio.wait({attempt}), timeout_s)
        if not attempt.done():
            # Timed out on our clock: cancel in the controller (which _Controller answers), so that no
            # connection completes later behind our back; a connection that won the race is kept.
            with contextlib.suppress(Exception):
                await _bounded(
                    self.device.cancel_connection(),  # type: ignore[no-untyped-call]
                    2.0,
                    "cancel connecting",
                    self.clock,
                )
            with contextlib.suppress(TimeoutError):
                await wait_for(self.clock, asyncio.wait({attempt}), 2.0)
            if not attempt.done():
                attempt.cancel()
                await asyncio.wait({attempt})
        if attempt.cancelled() or attempt.exception() is not None:
            exc = None if attempt.cancelled() else attempt.exception()
            detail = (
                f"no answer within {timeout_s:.3g} s" if exc is None or "cancel" in str(exc).lower() else exc
            )
            raise LinkError(f"could not connect to {address}: {detail}")
        connection = attempt.result()
        gatt_link = GattLink(self, connection)
        self._links.add(gatt_link)
        return gatt_link

    # serving ----------------------------------------------------------------------------------------------

    def serve(self, services: list[tuple[str, list[ServedChar]]]) -> None:
        """Add GATT services: (service uuid, characteristics). Call before advertising."""
        for uuid, chars in services:
            for char in chars:
                char._build()
                char._stack = self
            self.device.add_service(Service(uuid, [c._char for c in chars]))

    async def advertise(
        self, name: str, service_uuids: Iterable[str] = (), manufacturer: tuple[int, bytes] | None = None
    ) -> None:
        """Advertise connectable (stops when a central connects; advertise again to be found again)."""
        self._check()
        fields: list[tuple[int, bytes]] = [(AdvertisingData.FLAGS, bytes([0x06]))]
        uuids = [UUID(u) for u in service_uuids]
        if uuids:
            fields.append(
                (
                    AdvertisingData.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
                    b"".join(u.to_bytes(force_128=True) for u in uuids),
                )
            )
        if manufacturer is not None:
            fields.append(
                (
                    AdvertisingData.MANUFACTURER_SPECIFIC_DATA,
                    manufacturer[0].to_bytes(2, "little") + manufacturer[1],
                )
            )
        # The full name goes in the scan response; bumble's virtual controller sends no scan responses, so
        # the advertisement itself carries as much of the name as fits its 31 bytes (a shortened name).
        room = 31 - sum(2 + len(value) for _, value in fields) - 2
        if room > 0:
            short = name.encode()[:room]
            kind = (
                AdvertisingData.COMPLETE_LOCAL_NAME
                if short == name.encode()
                else AdvertisingData.SHORTENED_LOCAL_NAME
            )
            fields.append((kind, short))
        scan_response = [(AdvertisingData.COMPLETE_LOCAL_NAME, name.encode()[:29])]
        await _bounded(
            self.device.start_advertising(
                auto_restart=False,
                advertising_data=bytes(AdvertisingData(fields)),
                scan_response_data=bytes(AdvertisingData(scan_response)),
                advertising_interval_min=20,
                advertising_interval_max=20,
            ),
            self.op_timeout_s,
            "start advertising",
            self.clock,
        )

    async def stop_advertising(self) -> None:
        if not self._lost:
            await _bounded(self.device.stop_advertising(), self.op_timeout_s, "stop advertising", self.clock)

    def on_connection(self, listener: Callable[[ServerConnection], None]) -> None:
        """Call ``listener`` for every central that connects to this host as a peripheral."""

        def wrap(connection: Connection) -> None:
            listener(ServerConnection(connection))

        self.device.on("connection", wrap)


def _random_static_address() -> str:
    import secrets

    raw = bytearray(secrets.token_bytes(6))
    raw[0] |= 0xC0  # random static: the two top bits set
    return ":".join(f"{b:02X}" for b in raw)


class ServerConnection:
    """A central connected to our peripheral."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @property
    def peer_address(self) -> str:
        return str(self._connection.peer_address.to_string(with_type_qualifier=False))

    @property
    def mtu(self) -> int:
        return int(self._connection.att_mtu)

    def on_disconnection(self, listener: Callable[[int], None]) -> None:
        self._connection.on("disconnection", listener)

    async def disconnect(self, timeout_s: float = 2.0) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._connection.disconnect(), timeout_s)


@dataclass(eq=False)
class ServedChar:
    """A characteristic our peripheral serves.

    ``read`` returns the value; ``write`` receives written bytes and may raise :class:`AttError` to answer
    with an ATT error response. ``properties``: names among read, write, write-without-response, notify.
    """

    uuid: str
    properties: tuple[str, ...]
    read: Callable[[], bytes] | None = None
    write: Callable[[bytes], None] | None = None
    _char: Any = field(default=None, init=False, repr=False)
    _stack: BumbleStack | None = field(default=None, init=False, repr=False)

    def _build(self) -> None:
        flags = 0
        for bit, name in _PROPERTY_NAMES.items():
            if name in self.properties:
                flags |= bit
        permissions = Characteristic.Permissions(0)
        if self.read is not None:
            permissions |= Characteristic.READABLE
        if self.write is not None:
            permissions |= Characteristic.WRITEABLE
        read, write = self.read, self.write

        def on_read(_connection: Any) -> bytes:
            return read() if read is not None else b""

        def on_write(_connection: Any, value: bytes) -> None:
            if write is None:
                raise ATT_Error(0x03)
            try:
                write(bytes(value))
            except AttError as exc:
                raise ATT_Error(exc.code) from None

        value = CharacteristicValue(read=on_read, write=on_write)
        self._char = Characteristic(self.uuid, Characteristic.Properties(flags), permissions, value)

    async def notify(self, data: bytes, timeout_s: float = 1.0) -> None:
        """Notify every subscribed central."""
        stack = self._stack
        if stack is None or self._char is None:
            raise LinkError(f"characteristic {self.uuid} is not served")
        await _bounded(stack.device.notify_subscribers(self._char, data), timeout_s, "notify", stack.clock)


# -- a GATT client link ----------------------------------------------------------------------------------------


class GattLink:
    """One connection to a peripheral, as central: discovery, MTU, reads, writes, notifications."""

    def __init__(self, stack: BumbleStack, connection: Connection) -> None:
        self._stack = stack
        self._connection = connection
        self._peer = Peer(connection)
        self._chars: dict[int, CharacteristicProxy[bytes]] = {}
        self._subscribers: dict[int, Callable[[bytes], None]] = {}
        self._connected = True
        self._disconnect_listeners: list[Callable[[int], None]] = []
        self.address = str(connection.peer_address.to_string(with_type_qualifier=False))
        connection.on("disconnection", self._on_disconnection)

    @property
    def is_connected(self) -> bool:
        return self._connected

    @property
    def mtu(self) -> int:
        return int(self._connection.att_mtu)

    def on_disconnect(self, listener: Callable[[int], None]) -> None:
        """``listener(reason)`` once when the link drops (not after :meth:`disconnect`)."""
        self._disconnect_listeners.append(listener)

    def _on_disconnection(self, reason: int) -> None:
        if not self._connected:
            return
        self._connected = False
        self._stack._links.discard(self)
        listeners, self._disconnect_listeners = self._disconnect_listeners, []
        for listener in listeners:
            listener(int(reason))

    def _check(self) -> None:
        if not self._connected:
            raise LinkError(f"{self.address} is not connected")

    async def exchange_mtu(self, mtu: int = 247, timeout_s: float = DEFAULT_OP_TIMEOUT_S) -> int:
        self._check()
        return int(
            await _bounded(
                self._peer.request_mtu(min(mtu, MAX_MTU)), timeout_s, "exchange MTU", self._stack.clock
            )
        )

    async def discover(self, timeout_s: float = DEFAULT_OP_TIMEOUT_S) -> list[RemoteService]:
        self._check()
        await _bounded(
            self._peer.discover_all(),  # type: ignore[no-untyped-call]
            timeout_s,
            "discover services",
            self._stack.clock,
        )
        services = []
        for service in self._peer.services:
            chars = []
            for char in service.characteristics:
                self._chars[char.handle] = char
                props = tuple(name for bit, name in _PROPERTY_NAMES.items() if int(char.properties) & bit)
                descriptors = tuple((d.handle, _full_uuid(d.type)) for d in char.descriptors)
                chars.append(RemoteChar(char.handle, _full_uuid(char.uuid), props, descriptors))
            services.append(
                RemoteService(
                    service.handle, service.end_group_handle, _full_uuid(service.uuid), tuple(chars)
                )
            )
        return services

    def _char(self, handle: int) -> CharacteristicProxy[bytes]:
        self._check()
        try:
            return self._chars[handle]
        except KeyError:
            raise AttError(0x01, f"no characteristic at handle 0x{handle:04x}") from None

    async def read(self, handle: int, timeout_s: float = DEFAULT_OP_TIMEOUT_S) -> bytes:
        self._check()
        return bytes(await _bounded(self._peer.read_value(handle), timeout_s, "read", self._stack.clock))

    async def write(
        self, handle: int, data: bytes, response: bool = True, timeout_s: float = DEFAULT_OP_TIMEOUT_S
    ) -> None:
        self._check()
        await _bounded(
            self._peer.write_value(handle, bytes(data), with_response=response),
            timeout_s,
            "write",
            self._stack.clock,
        )

    async def subscribe(
        self, handle: int, callback: Callable[[bytes], None], timeout_s: float = DEFAULT_OP_TIMEOUT_S
    ) -> None:
        char = self._char(handle)
        old = self._subscribers.pop(handle, None)
        if old is not None:
            await _bounded(self._peer.unsubscribe(char, old), timeout_s, "unsubscribe", self._stack.clock)
        self._subscribers[handle] = callback
        await _bounded(self._peer.subscribe(char, callback), timeout_s, "subscribe", self._stack.clock)

    async def unsubscribe(self, handle: int, timeout_s: float = DEFAULT_OP_TIMEOUT_S) -> None:
        char = self._char(handle)
        callback = self._subscribers.pop(handle, None)
        await _bounded(self._peer.unsubscribe(char, callback), timeout_s, "unsubscribe", self._stack.clock)

    async def disconnect(self, timeout_s: float = 2.0) -> None:
        """Close the link (idempotent); does not call the disconnect listeners."""
        self._disconnect_listeners.clear()
        if not self._connected:
            return
        self._connected = False
        self._stack._links.discard(self)
        if not self._stack.transport_lost:
            with contextlib.suppress(Exception):
                await wait_for(self._stack.clock, self._connection.disconnect(), timeout_s)
