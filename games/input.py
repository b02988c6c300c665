"""pygame events -> intents, and the held arrow keys that drive the keyboard puck."""

from __future__ import annotations

import pygame

from .intents import Intent, IntentKind

__all__ = ["KEYMAP", "intents_from_event"]

K = IntentKind
KEYMAP: dict[int, IntentKind] = {
    pygame.K_SPACE: K.PAUSE,
    pygame.K_ESCAPE: K.PAUSE,
    pygame.K_PAUSE: K.PAUSE,
    pygame.K_p: K.PAUSE,
    pygame.K_RETURN: K.CONFIRM,
    pygame.K_KP_ENTER: K.CONFIRM,
    pygame.K_UP: K.UP,
    pygame.K_DOWN: K.DOWN,
    pygame.K_LEFT: K.LEFT,
    pygame.K_RIGHT: K.RIGHT,
    pygame.K_BACKSPACE: K.BACK,
    pygame.K_F11: K.FULLSCREEN,
    pygame.K_f: K.FULLSCREEN,
    pygame.K_m: K.MUTE,
    pygame.K_PLUS: K.VOLUME_UP,
    pygame.K_EQUALS: K.VOLUME_UP,
    pygame.K_KP_PLUS: K.VOLUME_UP,
    pygame.K_MINUS: K.VOLUME_DOWN,
    pygame.K_KP_MINUS: K.VOLUME_DOWN,
}
_NUMBERS = {getattr(pygame, f"K_{i}"): i - 1 for i in range(1, 10)}
_NUMBERS.update({getattr(pygame, f"K_KP{i}"): i - 1 for i in range(1, 10)})


def intents_from_event(event: pygame.event.Event) -> list[Intent]:
    if event.type == pygame.QUIT:
        return [Intent(K.QUIT)]
    if event.type == pygame.KEYDOWN:
        if event.key in _NUMBERS:
            return [Intent(K.CHOOSE, index=_NUMBERS[event.key])]
        kind = KEYMAP.get(event.key)
        return [Intent(kind)] if kind is not None else []
    if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
        return [Intent(K.CLICK, pos=(int(event.pos[0]), int(event.pos[1])))]
    return []
