"""Link faults for the virtual puck, by composition: loss, duplicates, reordering, corruption, stalls, drops.

Each fault is a small seeded state machine with ``apply(emissions, now_s=None) -> list[Emission | LinkDrop]``
that sees the puck's notifications in time order, in the batches the transport hands it (one batch per
connection interval, often empty). It records every notification it touched in ``injected`` so tests can
compare what was done to the link with what the host reports. A :class:`FaultChain` runs faults in order;
``LinkDrop`` markers pass through the later faults untouched. By default faults touch only the data
characteristic, because only data notifications carry a sequence number the host can check.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from typing import Literal, Protocol

from repquest.firmware_protocol import DATA_CHAR_UUID

from .puck import Emission

__all__ = [
    "CorruptBytes",
    "Disconnect",
    "Duplicate",
    "Fault",
    "FaultChain",
    "LinkDrop",
    "PacketLoss",
    "Reorder",
    "Stall",
]

DATA_ONLY = frozenset({DATA_CHAR_UUID})


@dataclass(frozen=True, slots=True)
class LinkDrop:
    """The link dropped at true time ``t_s``; the puck can be reached again from ``reconnectable_at_s``."""

    t_s: float
    reconnectable_at_s: float


class Fault(Protocol):
    """What a fault does to the notifications of one connection interval."""

    injected: list[Emission]

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]: ...


@dataclass
class _Base:
    _: KW_ONLY  # positional arguments go to each fault's own parameters
    chars: frozenset[str] = DATA_ONLY
    injected: list[Emission] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many notifications this fault acted on."""
        return len(self.injected)

    def _touches(self, emission: Emission) -> bool:
        return emission.char_uuid in self.chars


@dataclass
class _RandomFault(_Base):
    """A fault that strikes each notification it touches with ``probability`` (0..1), seeded."""

    probability: float = 0.02
    seed: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def _strikes(self, emission: Emission) -> bool:
        return self._touches(emission) and self._rng.random() < self.probability


@dataclass
class PacketLoss(_RandomFault):
    """Lose each notification with ``probability`` (0..1)."""

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        out: list[Emission | LinkDrop] = []
        for e in emissions:
            if self._strikes(e):
                self.injected.append(e)
            else:
                out.append(e)
        return out


@dataclass
class Duplicate(_RandomFault):
    """Send a notification twice with ``probability`` (a retransmission whose acknowledgement was lost)."""

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        out: list[Emission | LinkDrop] = []
        for e in emissions:
            out.append(e)
            if self._strikes(e):
                self.injected.append(e)
                out.append(e)
        return out


@dataclass
class Reorder(_RandomFault):
    """With ``probability``, hold a notification back and send it just after the next one (a swap)."""

    _held: Emission | None = field(default=None, init=False, repr=False)

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        out: list[Emission | LinkDrop] = []
        for e in emissions:
            if not self._touches(e):
                out.append(e)
            elif self._held is not None:
                out.extend((e, replace(self._held, t_s=e.t_s)))  # sent late, with the one it swapped with
                self._held = None
            elif self._rng.random() < self.probability:
                self._held = e
                self.injected.append(e)
            else:
                out.append(e)
        return out


@dataclass
class CorruptBytes(_RandomFault):
    """Damage a notification with ``probability``.

    ``mode="truncate"`` cuts 1..3 bytes off the end, which the decoder always rejects. ``mode="flip"`` flips
    one random bit anywhere; the protocol has no checksum (BLE's link layer has one), so a flip in a sample
    value goes unnoticed and a flip in the sequence number looks like loss: use it for fuzzing the host, not
    for counting.
    """

    mode: Literal["truncate", "flip"] = "truncate"

    def _damage(self, data: bytes) -> bytes:
        if self.mode == "truncate":
            return data[: max(0, len(data) - self._rng.randint(1, 3))]
        raw = bytearray(data)
        i = self._rng.randrange(len(raw))
        raw[i] ^= 1 << self._rng.randrange(8)
        return bytes(raw)

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        out: list[Emission | LinkDrop] = []
        for e in emissions:
            if self._strikes(e):
                self.injected.append(e)
                e = replace(e, data=self._damage(e.data))
            out.append(e)
        return out


@dataclass
class Stall(_Base):
    """Hold every notification sent in ``[start_s, start_s + duration_s)`` and release them all at the end.

    The transport delivers in order, so everything behind a held notification waits too, as on a real link
    whose retransmissions stall. Nothing is lost; it arrives late.
    """

    start_s: float = 0.0
    duration_s: float = 0.0

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        end_s = self.start_s + self.duration_s
        out: list[Emission | LinkDrop] = []
        for e in emissions:
            if self._touches(e) and self.start_s <= e.t_s < end_s:
                self.injected.append(e)
                e = replace(e, t_s=end_s)
            out.append(e)
        return out


@dataclass
class Disconnect(_Base):
    """Drop the link at ``at_s``; the puck is unreachable until ``at_s + outage_s``.

    Notifications the firmware sends meanwhile go nowhere (``injected`` lists them); its sequence counter
    keeps running, so the host sees the gap when the stream resumes.
    """

    at_s: float = 0.0
    outage_s: float = 1.0
    chars: frozenset[str] = frozenset()  # the outage swallows every characteristic; injected lists data only
    _fired: bool = field(default=False, init=False, repr=False)

    @property
    def reconnectable_at_s(self) -> float:
        return self.at_s + self.outage_s

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        out: list[Emission | LinkDrop] = []
        if not self._fired and now_s is not None and now_s >= self.at_s:
            self._fired = True
            out.append(LinkDrop(self.at_s, self.reconnectable_at_s))
        for e in emissions:
            if not self._fired and e.t_s >= self.at_s:
                self._fired = True
                out.append(LinkDrop(self.at_s, self.reconnectable_at_s))
            if self.at_s <= e.t_s < self.reconnectable_at_s:
                if e.char_uuid == DATA_CHAR_UUID:
                    self.injected.append(e)
                continue
            out.append(e)
        return out


class FaultChain:
    """Faults applied in order; each one sees what the previous let through."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self.faults: Sequence[Fault] = tuple(faults)

    def apply(self, emissions: list[Emission], now_s: float | None = None) -> list[Emission | LinkDrop]:
        items: list[Emission | LinkDrop] = list(emissions)
        for fault in self.faults:
            drops = [i for i in items if isinstance(i, LinkDrop)]
            passed = fault.apply([i for i in items if isinstance(i, Emission)], now_s)
            # Keep link drops in time order among the notifications.
            items = sorted([*drops, *passed], key=lambda i: i.t_s) if drops else passed
        return items

    def summary(self) -> dict[str, int]:
        """Notifications each fault acted on, by fault class name (summed when a class appears twice)."""
        out: dict[str, int] = {}
        for fault in self.faults:
            name = type(fault).__name__
            out[name] = out.get(name, 0) + len(fault.injected)
        return out
