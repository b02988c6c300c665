"""Several sensors at once (FitMi uses two pucks): each session gets a slot with a label and a colour.

:func:`interleave` merges the items of several sessions on one event loop, tagged with their session, so a
display or an exercise can use one sensor or both without either session knowing about the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import SessionItem
    from .session import PuckSession

__all__ = ["SLOTS", "PuckSlot", "interleave"]


@dataclass(frozen=True, slots=True)
class PuckSlot:
    """Which sensor this is when there are several: ``label`` ("A"), ``colour`` name and ``rgb`` (0-255)."""

    label: str
    colour: str
    rgb: tuple[int, int, int]

    @property
    def ansi(self) -> str:
        """The colour as a 24-bit ANSI foreground escape (reset with ``\\x1b[0m``)."""
        r, g, b = self.rgb
        return f"\x1b[38;2;{r};{g};{b}m"


SLOTS = (
    PuckSlot("A", "blue", (40, 120, 255)),
    PuckSlot("B", "orange", (255, 140, 20)),
    PuckSlot("C", "green", (40, 200, 90)),
    PuckSlot("D", "magenta", (220, 60, 200)),
)


async def interleave(sessions: Sequence[PuckSession]) -> AsyncIterator[tuple[PuckSession, SessionItem]]:
    """Items of all ``sessions`` as they come, each with its session; ends when every session has ended.

    A session that ends with an error ends the merge with that error (the others keep their own state: close
    them). One task per session, all owned here and cancelled when the caller stops iterating."""
    queue: asyncio.Queue[tuple[PuckSession, SessionItem] | BaseException | None] = asyncio.Queue()

    async def pump(session: PuckSession) -> None:
        try:
            async for item in session:
                queue.put_nowait((session, item))
        except Exception as exc:  # handed to the consumer, which re-raises it
            queue.put_nowait(exc)
        else:
            queue.put_nowait(None)

    tasks = [asyncio.get_running_loop().create_task(pump(s), name="interleave") for s in sessions]
    try:
        running = len(tasks)
        while running:
            got = await queue.get()
            if got is None:
                running -= 1
            elif isinstance(got, BaseException):
                raise got
            else:
                yield got
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
