"""Stand-in for MicroPython's ``bluetooth`` module: the UUID type (all the firmware uses directly)."""

from __future__ import annotations

import uuid as _uuid

_SIG_BASE = "0000{:04x}-0000-1000-8000-00805f9b34fb"


class UUID:
    """A 16-bit SIG number or a 128-bit UUID string; ``str()`` gives the full lower-case form."""

    def __init__(self, value: int | str) -> None:
        text = _SIG_BASE.format(value) if isinstance(value, int) else value
        self.full = str(_uuid.UUID(text))
        self.short = value if isinstance(value, int) else None

    def __str__(self) -> str:
        return self.full

    def __repr__(self) -> str:
        return f"UUID({self.full!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UUID) and other.full == self.full

    def __hash__(self) -> int:
        return hash(self.full)

    def __bytes__(self) -> bytes:
        """As on the air: little-endian, two bytes for a SIG number."""
        if self.short is not None:
            return self.short.to_bytes(2, "little")
        return _uuid.UUID(self.full).bytes[::-1]
