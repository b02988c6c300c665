"""Where pucks come from, handed to the app by the composition root (the CLI or the demo).

The game never imports bleak: ``scanner`` and ``real_factory`` come from the caller. ``virtual_source``
makes the motion of each virtual puck (the keyboard limb in ``repquest play``, a simulated set in the demo).
Tasks started here belong to the app and are cancelled when it closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from repquest.ble import DeviceInfo, VirtualTransport
from repquest.clock import Clock
from repquest.errors import RepQuestError
from repquest.exercises import Catalog
from repquest.progress import Store
from repquest.simulator import MotionSource, VirtualPuck

from .keyboard_puck import KeyboardLimb
from .session_link import Factory, GameSession, PuckLink

__all__ = ["ScanState", "Services"]

Scanner = Callable[[float], Awaitable[list[DeviceInfo]]]


@dataclass
class ScanState:
    running: bool = False
    found: list[DeviceInfo] = field(default_factory=list)
    error: str | None = None
    done: bool = False


class Services:
    """Args:
    clock: the app's clock (virtual in tests and ``demo --fast``).
    virtual_source: motion of virtual puck ``i``.
    scanner / real_factory: real Bluetooth (None: only the virtual puck is offered).
    pucks: how many pucks to stream (the first counts; a second one exercises the load).
    rate_hz: sample rate to ask for.
    """

    def __init__(
        self,
        clock: Clock,
        virtual_source: Callable[[int], MotionSource],
        *,
        scanner: Scanner | None = None,
        real_factory: Callable[[str], Factory] | None = None,
        pucks: int = 1,
        rate_hz: int = 100,
    ) -> None:
        self.clock = clock
        self.virtual_source = virtual_source
        self.scanner = scanner
        self.real_factory = real_factory
        self.pucks = pucks
        self.rate_hz = rate_hz
        self.scan = ScanState(done=scanner is None)
        self.keyboard_limb: KeyboardLimb | None = None
        self.virtual_pucks: list[VirtualPuck] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self, coro: Awaitable[None]) -> None:
        async def wrap() -> None:
            await coro

        task = asyncio.get_running_loop().create_task(wrap())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start_scan(self, timeout_s: float = 4.0) -> None:
        if self.scanner is None or self.scan.running:
            return
        self.scan = ScanState(running=True)
        scanner = self.scanner

        async def go() -> None:
            try:
                found = await scanner(timeout_s)
                self.scan = ScanState(found=list(found), done=True)
            except RepQuestError as exc:
                self.scan = ScanState(error=str(exc), done=True)

        self._spawn(go())

    def connect(self, store: Store, profile: str, catalog: Catalog, address: str | None) -> GameSession:
        """Start streaming: the real puck at ``address``, or (None) the virtual pucks."""
        links: list[PuckLink] = []
        if address is not None and self.real_factory is not None:
            links.append(
                PuckLink(self.real_factory(address), self.clock, rate_hz=self.rate_hz, label=address)
            )
        else:
            for i in range(self.pucks):
                puck = VirtualPuck(self.virtual_source(i), address=f"C0:FF:EE:00:00:{i + 1:02X}")
                self.virtual_pucks.append(puck)
                transport = VirtualTransport(puck, self.clock)
                links.append(
                    PuckLink(transport.factory(), self.clock, rate_hz=self.rate_hz, label="virtual puck")
                )
        for link in links:
            self._spawn(link.run())
        return GameSession(links, store, profile, catalog, self.clock, self.rate_hz)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, RepQuestError):
                await task
