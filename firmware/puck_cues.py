# The LED and vibration cues the host asks for (PROTOCOL.md sections 4.3, 4.4 and IDENTIFY), as levels over
# time. Pure timing: puck_board.py turns the levels into PWM duty on its pins every few milliseconds.
#
# Photosensitivity: a pulse period shorter than 334 ms is clamped up here as well as in the command parser,
# so no code path can make the light flash faster than 3 Hz. IDENTIFY blinks at 1 Hz.
import puck_wire as wire
from micropython import const

_IDENTIFY_PERIOD_MS = const(1000)  # slow: on half a second, off half a second


def _since(now_ms, start_ms):
    return (now_ms - start_ms) & 0x3FFFFFFF  # millisecond ticks wrap at 2**30 on the board


class Cues:
    """What the LED and the vibration motor (or the buzzer standing in for it) should do at a given time.

    Levels are 0..255. The board has one single-colour LED, so a colour shows as its brightest channel.
    """

    def __init__(self):
        self.led_level = 0  # 0..255, the brightest of red, green, blue
        self.pattern = wire.LED_OFF
        self.period_ms = 0
        self._led_start_ms = 0
        self._identify_start_ms = 0
        self._identify_ms = 0
        self._buzz_start_ms = 0
        self._buzz = (0, 0, 0)  # strength_pct, duration_ms, repeat

    def set_led(self, red, green, blue, pattern, period_ms, now_ms):
        self.led_level = max(red, green, blue)
        self.pattern = pattern
        if pattern == wire.LED_PULSE:
            period_ms = max(period_ms, wire.MIN_PULSE_PERIOD_MS)
        self.period_ms = period_ms
        self._led_start_ms = now_ms

    def vibrate(self, strength_pct, duration_ms, repeat, now_ms):
        self._buzz = (strength_pct, duration_ms, repeat)
        self._buzz_start_ms = now_ms

    def identify(self, seconds, now_ms):
        self._identify_start_ms = now_ms
        self._identify_ms = seconds * 1000

    def led(self, now_ms):
        """LED brightness 0..255 at ``now_ms``."""
        if self._identify_ms and _since(now_ms, self._identify_start_ms) < self._identify_ms:
            return 255 if _since(now_ms, self._identify_start_ms) % _IDENTIFY_PERIOD_MS < 500 else 0
        self._identify_ms = 0
        if self.pattern == wire.LED_SOLID:
            return self.led_level
        if self.pattern == wire.LED_PULSE:
            # A triangle: dark to full and back once per period, one smooth swell rather than a flash.
            phase = _since(now_ms, self._led_start_ms) % self.period_ms
            half = self.period_ms // 2
            rise = phase if phase < half else self.period_ms - phase
            return self.led_level * rise // half
        return 0

    def buzz(self, now_ms):
        """Vibration (or buzzer) strength 0..100 % at ``now_ms``: pulses separated by equal gaps."""
        strength, duration, repeat = self._buzz
        if not repeat:
            return 0
        t = _since(now_ms, self._buzz_start_ms)
        if t >= 2 * duration * repeat:
            self._buzz = (0, 0, 0)
            return 0
        return strength if t % (2 * duration) < duration else 0
