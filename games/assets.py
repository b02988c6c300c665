"""The one asset loader: fonts, pictures and sounds by logical name, made after the display is up.

Everything is made by the project: pictures are drawn procedurally here, sounds are synthesised tones, and
text uses pygame's built-in default font. Each mini-game lists the assets it needs (:data:`GAME_ASSETS`); a test
loads every one of them.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pygame

from . import ui

__all__ = ["GAME_ASSETS", "IMAGE_NAMES", "SOUND_NAMES", "Assets"]

# name: list of (frequency Hz, duration s) notes, gentle attack and decay
_SOUNDS: dict[str, tuple[tuple[float, float], ...]] = {
    "chime": ((660.0, 0.12), (880.0, 0.22)),
    "soft": ((330.0, 0.35),),
    "pop": ((990.0, 0.08),),
    "fanfare": ((523.0, 0.12), (659.0, 0.12), (784.0, 0.3)),
    "hold": ((440.0, 0.25),),
    "tick": ((700.0, 0.05),),
}
CAPTIONS: dict[str, str] = {
    "chime": "[bright chime]",
    "soft": "[soft low tone]",
    "pop": "[pop]",
    "fanfare": "[little fanfare]",
    "hold": "[gentle hum: hold]",
    "tick": "[tick]",
}
SOUND_NAMES = tuple(_SOUNDS)
PLACEMENTS = ("thigh", "shin", "foot", "hand", "wrist", "upper_arm")
IMAGE_NAMES = (
    *(f"placement_{p}" for p in PLACEMENTS),
    "balloon",
    "glider",
    "walker",
    "flower",
    "cloud",
    "puck",
)
GAME_ASSETS: dict[str, tuple[str, ...]] = {
    "balloon": ("balloon", "cloud", "chime", "soft"),
    "bridge": ("cloud", "hold", "fanfare", "chime", "soft"),
    "glider": ("glider", "cloud", "pop", "chime", "soft"),
    "journey": ("walker", "cloud", "fanfare", "chime"),
    "garden": ("flower", "chime", "soft"),
}
SAMPLE_RATE = 22050


def _tone(notes: tuple[tuple[float, float], ...]) -> np.ndarray:
    parts = []
    for freq, dur in notes:
        t = np.arange(int(SAMPLE_RATE * dur)) / SAMPLE_RATE
        env = np.minimum(1.0, t / 0.01) * np.exp(-3.0 * t / dur)
        parts.append(0.3 * env * (np.sin(2 * math.pi * freq * t) + 0.3 * np.sin(4 * math.pi * freq * t)))
    wave = np.concatenate(parts)
    return (wave * 32767 / 1.3).astype(np.int16)


class Assets:
    """Load after ``pygame.display.set_mode``. ``font(size)`` and ``text(...)`` are cached."""

    def __init__(self, audio: bool = True) -> None:
        self._fonts: dict[int, pygame.font.Font] = {}
        self._texts: OrderedDict[tuple[str, int, tuple[int, int, int]], pygame.Surface] = OrderedDict()
        self.images: dict[str, pygame.Surface] = {name: _draw(name) for name in IMAGE_NAMES}
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.audio = audio and self._init_mixer()
        if self.audio:
            for name, notes in _SOUNDS.items():
                self.sounds[name] = pygame.mixer.Sound(buffer=_tone(notes).tobytes())

    @staticmethod
    def _init_mixer() -> bool:
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(SAMPLE_RATE, -16, 1, 512)
            return pygame.mixer.get_init() is not None
        except pygame.error:
            return False

    def has(self, name: str) -> bool:
        return name in self.images or name in _SOUNDS

    def font(self, size: int) -> pygame.font.Font:
        font = self._fonts.get(size)
        if font is None:
            font = self._fonts[size] = pygame.font.Font(None, size)
        return font

    def text(self, text: str, size: int, color: tuple[int, int, int] = ui.TEXT) -> pygame.Surface:
        key = (text, size, color)
        surf = self._texts.get(key)
        if surf is None:
            surf = self.font(size).render(text, True, color)
            self._texts[key] = surf
            if len(self._texts) > 600:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return surf

    def image(self, name: str) -> pygame.Surface:
        return self.images[name]

    def play(self, name: str, volume: float) -> None:
        sound = self.sounds.get(name)
        if sound is not None and volume > 0:
            sound.set_volume(volume)
            sound.play()


def _surface(w: int, h: int) -> pygame.Surface:
    return pygame.Surface((w, h), pygame.SRCALPHA)


def _draw(name: str) -> pygame.Surface:
    if name.startswith("placement_"):
        return ui.placement_picture(name.removeprefix("placement_"))
    s: pygame.Surface
    if name == "balloon":
        s = _surface(140, 200)
        pygame.draw.line(s, ui.TEXT, (70, 130), (70, 168), 3)
        pygame.draw.ellipse(s, ui.VERMILLION, (10, 0, 120, 140))
        pygame.draw.ellipse(s, (240, 140, 100), (32, 18, 30, 44))
        pygame.draw.rect(s, ui.ORANGE, (48, 166, 44, 32), border_radius=6)
    elif name == "glider":
        s = _surface(160, 80)
        pygame.draw.polygon(s, ui.YELLOW, [(0, 40), (150, 30), (160, 40), (150, 50)])
        pygame.draw.polygon(s, ui.ORANGE, [(60, 38), (100, 0), (110, 38)])
        pygame.draw.polygon(s, ui.ORANGE, [(60, 42), (100, 80), (110, 42)])
        pygame.draw.polygon(s, ui.ORANGE, [(0, 40), (10, 20), (22, 39)])
    elif name == "walker":
        s = _surface(80, 150)
        pygame.draw.circle(s, ui.TEXT, (40, 20), 18)
        pygame.draw.line(s, ui.TEXT, (40, 38), (40, 95), 8)
        pygame.draw.line(s, ui.TEXT, (40, 55), (15, 80), 7)
        pygame.draw.line(s, ui.TEXT, (40, 55), (66, 80), 7)
        pygame.draw.line(s, ui.TEXT, (40, 95), (20, 145), 8)
        pygame.draw.line(s, ui.SKY, (40, 95), (62, 145), 8)
        pygame.draw.circle(s, ui.ORANGE, (54, 124), 8)
    elif name == "flower":
        s = _surface(120, 120)
        for k in range(6):
            a = k * math.pi / 3
            pygame.draw.circle(s, ui.PINK, (60 + int(32 * math.cos(a)), 60 + int(32 * math.sin(a))), 24)
        pygame.draw.circle(s, ui.YELLOW, (60, 60), 22)
    elif name == "cloud":
        s = _surface(220, 100)
        for x, y, r in ((60, 60, 38), (110, 45, 45), (160, 62, 36), (110, 70, 35)):
            pygame.draw.circle(s, (235, 240, 250), (x, y), r)
    else:  # puck
        s = _surface(60, 60)
        pygame.draw.circle(s, ui.ORANGE, (30, 30), 28)
        pygame.draw.circle(s, ui.BG, (30, 30), 12, 4)
    return s
