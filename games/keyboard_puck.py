"""A virtual limb the arrow keys move, so anyone can try RepQuest without a puck. pygame-free.

It is a :class:`repquest.simulator.MotionSource`: the virtual puck samples it at its own times. Holding Up moves
the limb out at a gentle speed (or walks, or squeezes the pad, depending on the exercise kind); letting go
brings it back. Left and Right move the other way (for two-sided twists). The angle is integrated lazily, in
time order, from the key state the game sets each frame.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["KeyboardLimb"]

FloatArray = npt.NDArray[np.float64]

SPEED_DPS = 50.0  # comfortable: well under every exercise's "too fast" limit
MAX_ANGLE_DEG = 70.0
STRIDE_HZ = 0.9
SQUEEZE_N = 25.0


class KeyboardLimb:
    """Args: kind: the engine kind of the current exercise ("reps", "hold", "twist", "gait", "press")."""

    def __init__(self, kind: str = "reps") -> None:
        self.kind = kind
        self.direction = 0  # +1 out (Up), -1 the other way (Left, twists), 0 back to rest
        self.fast = False  # for trying the "slower" coach: Shift held
        self._t = 0.0
        self._angle = 0.0
        self._phase = 0.0
        self._rng = np.random.default_rng(7)

    def _step(self, t: float) -> tuple[float, float, float]:
        """Advance to ``t``; return angle (deg), rate (dps), force (N)."""
        dt = max(0.0, t - self._t)
        self._t = max(self._t, t)
        speed = SPEED_DPS * (5.0 if self.fast else 1.0)
        if self.kind == "gait":
            if self.direction != 0 or abs(math.sin(self._phase)) > 0.05:
                self._phase += 2 * math.pi * STRIDE_HZ * dt
            if self.direction == 0 and abs(math.sin(self._phase)) <= 0.05:
                self._phase = round(self._phase / math.pi) * math.pi
            angle = 30.0 * math.sin(self._phase)
            rate = 30.0 * 2 * math.pi * STRIDE_HZ * math.cos(self._phase) if self.direction else 0.0
            self._angle = angle
            return angle, rate, 0.0
        if self.kind == "press":
            return 0.0, 0.0, SQUEEZE_N if self.direction > 0 else 0.0
        lo = -MAX_ANGLE_DEG if self.kind == "twist" else 0.0
        if self.direction > 0:
            target = MAX_ANGLE_DEG
        elif self.direction < 0:
            target = lo
        else:
            target = 0.0
        move = max(-speed * dt, min(speed * dt, target - self._angle))
        self._angle += move
        rate = move / dt if dt > 0 else 0.0
        return self._angle, rate, 0.0

    def sample(self, t_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """acc (n, 3) in g, gyr (n, 3) in dps, force (n,) in N: a hinge about the sensor's x axis."""
        n = int(t_s.shape[0])
        acc = np.zeros((n, 3))
        gyr = np.zeros((n, 3))
        force = np.zeros(n)
        for i in range(n):
            angle, rate, f = self._step(float(t_s[i]))
            rad = math.radians(angle)
            acc[i] = (0.0, math.sin(rad), math.cos(rad))
            gyr[i, 0] = rate
            force[i] = f
        acc += self._rng.normal(0.0, 0.004, acc.shape)
        gyr += self._rng.normal(0.0, 0.3, gyr.shape)
        return acc, gyr, force
