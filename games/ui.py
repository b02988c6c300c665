"""Colours and drawing helpers shared by the scenes: big text, big buttons, cue icons, the pause button.

Colours are the Okabe-Ito set (safe for the common colour-vision differences) on a dark, calm background, and
every cue has a shape as well as a colour: a tick in a circle (well done), a triangle (coach), a round "i"
(information).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from .menu import Menu, Rect

if TYPE_CHECKING:
    from .assets import Assets

__all__ = ["BG", "PAUSE_RECT", "TEXT", "button", "cue_icon", "menu", "panel", "pause_button", "text", "wrap"]

Colour = tuple[int, int, int]
BG: Colour = (16, 24, 40)
PANEL: Colour = (30, 42, 66)
TEXT: Colour = (245, 247, 250)
MUTED: Colour = (190, 200, 215)
SKY: Colour = (86, 180, 233)
ORANGE: Colour = (230, 159, 0)
GREEN: Colour = (0, 158, 115)
YELLOW: Colour = (240, 228, 66)
BLUE: Colour = (0, 114, 178)
VERMILLION: Colour = (213, 94, 0)
PINK: Colour = (204, 121, 167)
SKY_BG: Colour = (40, 70, 110)
GROUND: Colour = (38, 96, 70)

TITLE, BODY, SMALL = 60, 38, 34  # px at 720p; body text is never below 32 px
W, H = 1280, 720
PAUSE_RECT: Rect = (1080, 16, 184, 60)
TONE_COLOURS: dict[str, Colour] = {"good": GREEN, "coach": ORANGE, "info": SKY}


def text(
    surface: pygame.Surface,
    assets: Assets,
    value: str,
    pos: tuple[int, int],
    size: int = BODY,
    color: Colour = TEXT,
    anchor: str = "topleft",
    max_width: int | None = None,
) -> pygame.Rect:
    """Draw one line; with ``max_width`` a long line first gets smaller type (never below 32 px, the body
    minimum), then is shortened with an ellipsis."""
    img = assets.text(value, size, color)
    base = value
    while max_width is not None and img.get_width() > max_width:
        if size > 32:
            size -= 2
        elif len(base) > 4:
            base = base[:-2].rstrip()
            value = base + "..."
        else:
            break
        img = assets.text(value, size, color)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    return rect


def wrap(assets: Assets, value: str, size: int, width: int) -> list[str]:
    font = assets.font(size)
    lines: list[str] = []
    for para in value.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def paragraph(
    surface: pygame.Surface,
    assets: Assets,
    value: str,
    pos: tuple[int, int],
    width: int,
    size: int = BODY,
    color: Colour = TEXT,
) -> int:
    """Wrapped text from ``pos``; returns the y below it."""
    x, y = pos
    for line in wrap(assets, value, size, width):
        text(surface, assets, line, (x, y), size, color)
        y += int(size * 1.15)
    return y


def panel(surface: pygame.Surface, rect: Rect, color: Colour = PANEL) -> None:
    pygame.draw.rect(surface, color, rect, border_radius=18)


def button(
    surface: pygame.Surface,
    assets: Assets,
    rect: Rect,
    label: str,
    selected: bool,
    number: int | None = None,
    detail: str = "",
) -> None:
    x, y, w, h = rect
    pygame.draw.rect(surface, SKY if selected else PANEL, rect, border_radius=16)
    pygame.draw.rect(surface, TEXT if selected else MUTED, rect, 4 if selected else 2, border_radius=16)
    fg = BG if selected else TEXT
    left = x + 24
    if number is not None:
        pygame.draw.circle(surface, fg, (x + 40, y + h // 2), 22, 3)
        text(surface, assets, str(number), (x + 40, y + h // 2 + 2), SMALL, fg, "center")
        left = x + 80
    room = x + w - left - 24 - (assets.text(detail, SMALL).get_width() + 24 if detail else 0)
    text(surface, assets, label, (left, y + h // 2 + 2), BODY, fg, "midleft", max_width=room)
    if detail:
        text(surface, assets, detail, (x + w - 24, y + h // 2 + 2), SMALL, fg, "midright")


def menu(surface: pygame.Surface, assets: Assets, m: Menu) -> None:
    for i, (item, rect) in enumerate(zip(m.items, m.rects, strict=True)):
        button(surface, assets, rect, item.label, i == m.selected, i + 1 if i < 9 else None, item.detail)


def pause_button(surface: pygame.Surface, assets: Assets) -> None:
    x, y, _w, h = PAUSE_RECT
    pygame.draw.rect(surface, PANEL, PAUSE_RECT, border_radius=14)
    pygame.draw.rect(surface, MUTED, PAUSE_RECT, 2, border_radius=14)
    pygame.draw.rect(surface, TEXT, (x + 20, y + 16, 8, 28))
    pygame.draw.rect(surface, TEXT, (x + 34, y + 16, 8, 28))
    text(surface, assets, "Pause", (x + 56, y + h // 2 + 2), SMALL, TEXT, "midleft")


def cue_icon(surface: pygame.Surface, tone: str, center: tuple[int, int], r: int = 24) -> None:
    """Shape + colour: tick-in-circle (good), triangle with "!" (coach), circle with "i" (info)."""
    cx, cy = center
    colour = TONE_COLOURS.get(tone, SKY)
    if tone == "coach":
        pts = [(cx, cy - r), (cx + r, cy + r - 4), (cx - r, cy + r - 4)]
        pygame.draw.polygon(surface, colour, pts)
        pygame.draw.line(surface, BG, (cx, cy - r // 3), (cx, cy + r // 3), 5)
        pygame.draw.circle(surface, BG, (cx, cy + r // 2 + 2), 3)
    elif tone == "good":
        pygame.draw.circle(surface, colour, center, r)
        pygame.draw.lines(
            surface,
            TEXT,
            False,
            [(cx - r // 2, cy), (cx - r // 8, cy + r // 2.5), (cx + r // 2, cy - r // 3)],
            6,
        )
    else:
        pygame.draw.circle(surface, colour, center, r)
        pygame.draw.line(surface, BG, (cx, cy - 2), (cx, cy + r // 2), 6)
        pygame.draw.circle(surface, BG, (cx, cy - r // 2 + 2), 4)


def bar(surface: pygame.Surface, rect: Rect, share: float, colour: Colour = GREEN) -> None:
    x, y, w, h = rect
    pygame.draw.rect(surface, PANEL, rect, border_radius=h // 2)
    fill = int(w * max(0.0, min(1.0, share)))
    if fill > 0:
        pygame.draw.rect(surface, colour, (x, y, max(fill, h), h), border_radius=h // 2)
    pygame.draw.rect(surface, MUTED, rect, 2, border_radius=h // 2)


# -- the placement pictures: a seated person in profile with the puck where it goes ---------------------------

_BODY_POINTS = {
    "head": (120, 60),
    "hip": (120, 200),
    "shoulder": (120, 105),
    "knee": (220, 205),
    "ankle": (230, 310),
    "toe": (270, 318),
    "elbow": (150, 165),
    "hand": (205, 160),
}
_PUCK_AT = {
    "thigh": ("hip", "knee", 0.6),
    "shin": ("knee", "ankle", 0.55),
    "foot": ("ankle", "toe", 0.5),
    "hand": ("hand", "hand", 0.0),
    "wrist": ("elbow", "hand", 0.8),
    "upper_arm": ("shoulder", "elbow", 0.5),
}


def placement_picture(placement: str) -> pygame.Surface:
    s = pygame.Surface((320, 340), pygame.SRCALPHA)
    p = _BODY_POINTS
    pygame.draw.rect(s, MUTED, (60, 210, 110, 14), border_radius=6)  # chair seat
    pygame.draw.rect(s, MUTED, (60, 100, 14, 240), border_radius=6)  # chair back
    pygame.draw.line(s, TEXT, p["shoulder"], p["hip"], 14)
    pygame.draw.circle(s, TEXT, p["head"], 30)
    for a, b in (
        ("hip", "knee"),
        ("knee", "ankle"),
        ("ankle", "toe"),
        ("shoulder", "elbow"),
        ("elbow", "hand"),
    ):
        pygame.draw.line(s, TEXT, p[a], p[b], 12)
    a, b, f = _PUCK_AT.get(placement, _PUCK_AT["hand"])
    x = int(p[a][0] + (p[b][0] - p[a][0]) * f)
    y = int(p[a][1] + (p[b][1] - p[a][1]) * f)
    pygame.draw.circle(s, ORANGE, (x, y), 20)
    pygame.draw.circle(s, BG, (x, y), 8, 3)
    pygame.draw.circle(s, YELLOW, (x, y), 27, 3)
    return s
