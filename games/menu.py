"""A vertical menu of big buttons: layout and choice logic, pygame-free.

Every item is reachable with one key (its number, 1-9), one click, or arrows + Enter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .intents import Intent, IntentKind

__all__ = ["Menu", "MenuItem", "Rect"]

Rect = tuple[int, int, int, int]  # x, y, width, height in logical pixels


def contains(rect: Rect, pos: tuple[int, int]) -> bool:
    x, y, w, h = rect
    return x <= pos[0] < x + w and y <= pos[1] < y + h


@dataclass(frozen=True, slots=True)
class MenuItem:
    key: str
    label: str
    detail: str = ""


@dataclass
class Menu:
    """Items laid out top-down from ``origin``; ``handle`` returns the key of a chosen item, or None."""

    items: list[MenuItem]
    origin: tuple[int, int] = (140, 200)
    size: tuple[int, int] = (1000, 76)
    gap: int = 14
    columns: int = 1
    selected: int = 0
    rects: list[Rect] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.layout()

    def layout(self) -> None:
        x0, y0 = self.origin
        w, h = self.size
        rows = -(-len(self.items) // self.columns) if self.items else 0
        self.rects = []
        for i in range(len(self.items)):
            col, row = divmod(i, rows) if rows else (0, 0)
            self.rects.append((x0 + col * (w + self.gap), y0 + row * (h + self.gap), w, h))
        self.selected = min(self.selected, max(0, len(self.items) - 1))

    def select_key(self, key: str) -> None:
        for i, item in enumerate(self.items):
            if item.key == key:
                self.selected = i

    def hit(self, pos: tuple[int, int]) -> int | None:
        for i, rect in enumerate(self.rects):
            if contains(rect, pos):
                return i
        return None

    def handle(self, intent: Intent) -> str | None:
        if not self.items:
            return None
        kind = intent.kind
        if kind is IntentKind.UP or kind is IntentKind.LEFT:
            self.selected = (self.selected - 1) % len(self.items)
        elif kind is IntentKind.DOWN or kind is IntentKind.RIGHT:
            self.selected = (self.selected + 1) % len(self.items)
        elif kind is IntentKind.CONFIRM:
            return self.items[self.selected].key
        elif kind is IntentKind.CHOOSE and 0 <= intent.index < len(self.items):
            self.selected = intent.index
            return self.items[intent.index].key
        elif kind is IntentKind.CLICK and intent.pos is not None:
            i = self.hit(intent.pos)
            if i is not None:
                self.selected = i
                return self.items[i].key
        return None
