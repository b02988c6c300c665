"""Stand-in for MicroPython's ``machine`` module: pins, PWM, ADC, I2C and timers that record what the
firmware does with them, so tests can read the LED, press the button, and fire the sample timer.

State lives in module-level registries (one board per test: the fixture reloads this module).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

PINS: dict[int, Pin] = {}
PWMS: dict[int, PWM] = {}
TIMERS: dict[int, Timer] = {}
I2C_DEVICES: dict[int, I2CDevice] = {}
ADC_UV: dict[int, int] = {38: 1_950_000}  # battery at 3.9 V behind the 1:2 divider
UNIQUE_ID = bytes.fromhex("240ac4a1b2c3")


class I2CDevice(Protocol):
    def read(self, reg: int, n: int) -> bytes: ...

    def write(self, reg: int, data: bytes) -> None: ...


def unique_id() -> bytes:
    return UNIQUE_ID


class Pin:
    IN = 1
    OUT = 3

    def __init__(self, pin_id: int, mode: int = -1, value: int | None = None) -> None:
        self.id = pin_id
        self.mode = mode
        self.level = 1 if value is None else value  # inputs idle high (pulled up)
        PINS[pin_id] = self

    def value(self, level: int | None = None) -> int:
        if level is not None:
            self.level = level
        return self.level


class PWM:
    def __init__(self, pin: Pin, freq: int = 0, duty_u16: int = 0) -> None:
        self.pin = pin
        self.freq = freq
        self.duty = duty_u16
        PWMS[pin.id] = self

    def duty_u16(self, duty: int) -> None:
        assert 0 <= duty <= 65535, duty
        self.duty = duty


class ADC:
    ATTN_11DB = 3

    def __init__(self, pin: Pin, atten: int = 0) -> None:
        self.pin = pin

    def read_uv(self) -> int:
        return ADC_UV[self.pin.id]


class I2C:
    def __init__(self, bus_id: int, scl: Pin, sda: Pin, freq: int = 400_000) -> None:
        self.freq = freq

    def _device(self, address: int) -> I2CDevice:
        if address not in I2C_DEVICES:
            raise OSError(19, "ENODEV")  # what the board raises when nothing answers
        return I2C_DEVICES[address]

    def readfrom_mem_into(self, address: int, reg: int, buf: bytearray) -> None:
        buf[:] = self._device(address).read(reg, len(buf))

    def writeto_mem(self, address: int, reg: int, buf: bytes | bytearray) -> None:
        self._device(address).write(reg, bytes(buf))


class Timer:
    PERIODIC = 1

    def __init__(self, timer_id: int) -> None:
        self.freq = 0
        self.callback: Callable[[Any], None] | None = None
        TIMERS[timer_id] = self

    def init(self, *, mode: int, freq: int, callback: Callable[[Any], None]) -> None:
        assert mode == self.PERIODIC
        self.freq = freq
        self.callback = callback

    def deinit(self) -> None:
        self.freq = 0
        self.callback = None

    def fire(self) -> None:
        """One period elapsed: run the callback (on the board, the scheduler runs it soon after)."""
        if self.callback is not None:
            self.callback(self)
