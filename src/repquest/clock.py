"""Clocks: the wall clock for live use and a virtual clock so tests never sleep on wall time.

Everything that waits in the BLE layer waits through a :class:`Clock`, timeouts included (:func:`wait_for`),
so a whole 60 s session runs in well under a second on a :class:`VirtualClock`.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from collections.abc import Awaitable
from typing import Protocol, TypeVar, runtime_checkable

__all__ = ["Clock", "VirtualClock", "WallClock", "wait_for"]

T = TypeVar("T")


@runtime_checkable
class Clock(Protocol):
    """A source of time in seconds and a way to wait on it."""

    def now(self) -> float:
        """Current time in seconds (monotonic; the origin is arbitrary)."""
        ...

    async def sleep(self, dt_s: float) -> None:
        """Wait ``dt_s`` seconds of this clock's time."""
        ...


class WallClock:
    """The event loop's monotonic clock."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, dt_s: float) -> None:
        await asyncio.sleep(max(0.0, dt_s))


class VirtualClock:
    """Deterministic simulated time for tests.

    Sleepers wait in a heap ordered by deadline (ties in call order). A driver task jumps time to the earliest
    deadline only when no other task is ready to run, so every task that could still act "now" does so before
    time moves on; several concurrent sleepers therefore wake in deadline order, exactly as on a real clock.

    Args:
        start_s: the clock's reading before anything sleeps.
        max_settle_rounds: how many loop iterations the driver yields while other tasks stay ready, before it
            moves time anyway (guards against a task that spins on ``sleep(0)``).
    """

    def __init__(self, start_s: float = 0.0, max_settle_rounds: int = 1000) -> None:
        self._now = float(start_s)
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._driver: asyncio.Task[None] | None = None
        self._max_settle_rounds = max_settle_rounds

    def now(self) -> float:
        return self._now

    async def sleep(self, dt_s: float) -> None:
        if dt_s <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        # Never a deadline equal to now: a sleep too short to change the float must still move time on.
        deadline = max(self._now + dt_s, math.nextafter(self._now, math.inf))
        heapq.heappush(self._waiters, (deadline, next(self._order), future))
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive(), name="VirtualClock driver")
        await future

    async def _settle(self) -> None:
        """Yield until nothing but this driver is ready to run (CPython's ready queue, when visible)."""
        loop = asyncio.get_running_loop()
        for _ in range(self._max_settle_rounds):
            await asyncio.sleep(0)
            ready = getattr(loop, "_ready", None)
            if ready is None:
                # Not CPython's loop: a fixed number of rounds lets chains of callbacks finish.
                for _ in range(50):
                    await asyncio.sleep(0)
                return
            if not ready:
                return

    async def _drive(self) -> None:
        while self._waiters:
            await self._settle()
            if not self._waiters:
                return
            deadline, _, future = heapq.heappop(self._waiters)
            if future.done():  # its sleeper was cancelled
                continue
            self._now = max(self._now, deadline)
            future.set_result(None)


async def wait_for(clock: Clock, awaitable: Awaitable[T], timeout_s: float) -> T:
    """``asyncio.wait_for`` on ``clock``'s time: TimeoutError if ``awaitable`` takes over ``timeout_s``."""
    if isinstance(clock, WallClock):
        return await asyncio.wait_for(awaitable, timeout_s)
    task = asyncio.ensure_future(awaitable)
    timer = asyncio.ensure_future(clock.sleep(timeout_s))
    try:
        await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait({task})  # let it unwind before we report; never raises
    if task.cancelled():
        raise TimeoutError(f"no answer within {timeout_s:.3g} s")
    return task.result()
