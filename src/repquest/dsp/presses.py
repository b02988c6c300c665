"""Presses and squeezes on the force pad: threshold crossings with hysteresis relative to recent peaks."""

from __future__ import annotations

from collections.abc import Sequence

from .events import Event, Press

__all__ = ["PressDetector"]


class PressDetector:
    """A press starts above ``max(min_force_n, 0.3 x recent peak)`` and ends below half of that.

    Blocks that cannot change the state (all below the on level while released) cost one comparison.
    """

    def __init__(self, min_force_n: float = 3.0) -> None:
        self.min_force_n = min_force_n
        self.count = 0
        self.pressed = False
        self._start_t_s = 0.0
        self._peak_n = 0.0
        self._reference_n = 0.0
        self.on_level_n = min_force_n

    def update(self, t_s: Sequence[float], force_n: Sequence[float], events: list[Event]) -> None:
        """Process n samples: times t_s (n,) in s and forces force_n (n,) in newtons, as sequences.

        Callers may skip blocks that cannot change the state: ``not pressed and max(force) < on_level_n``.
        """
        if not self.pressed and max(force_n) < self.on_level_n:
            return
        for t, f in zip(t_s, force_n, strict=True):
            on = self.on_level_n
            if not self.pressed:
                if f >= on:
                    self.pressed, self._start_t_s, self._peak_n = True, t, f
            else:
                self._peak_n = max(self._peak_n, f)
                if f < 0.5 * on:
                    self.pressed = False
                    self.count += 1
                    ref = self._reference_n
                    self._reference_n = self._peak_n if ref == 0.0 else 0.7 * ref + 0.3 * self._peak_n
                    self.on_level_n = max(self.min_force_n, 0.3 * self._reference_n)
                    events.append(Press(t, self._peak_n, t - self._start_t_s))
