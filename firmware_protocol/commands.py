"""Control commands (PROTOCOL.md section 4): builders for the host, a parser for the puck (and the simulator)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from construct import ConstructError

from repquest.errors import ProtocolError

from . import definitions as d
from .definitions import LedPattern, Opcode

__all__ = [
    "Command",
    "identify",
    "parse_command",
    "request_status",
    "set_led",
    "set_rate",
    "start_stream",
    "stop_stream",
    "tare_force",
    "vibrate",
]

MIN_PULSE_PERIOD_MS = 334  # section 4.3: never flash faster than 3 Hz (photosensitivity)


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command: its opcode and its parameters by name (empty for commands without any)."""

    opcode: Opcode
    params: dict[str, Any] = field(default_factory=dict)


def _build(opcode: Opcode, params: dict[str, Any] | None = None) -> bytes:
    try:
        return bytes(d.COMMAND.build({"opcode": opcode.name, "params": params}))
    except ConstructError as exc:
        raise ProtocolError(f"cannot build {opcode.name}: {exc}") from None


def _in_range(name: str, value: int, lo: int, hi: int) -> int:
    if not lo <= value <= hi:
        raise ProtocolError(f"{name} must be {lo}..{hi}, got {value}")
    return value


def start_stream() -> bytes:
    """Section 4.2: start notifying sample blocks (subscribe to the data characteristic first)."""
    return _build(Opcode.START_STREAM)


def stop_stream() -> bytes:
    """Section 4.2: stop notifying sample blocks."""
    return _build(Opcode.STOP_STREAM)


def set_rate(rate_hz: int) -> bytes:
    """Section 4.2: sample rate in Hz, one of 50, 100, 200, 400."""
    if rate_hz not in d.RATE_HZ_TO_CODE:
        raise ProtocolError(f"rate {rate_hz} Hz is not one of {d.SUPPORTED_RATES_HZ}")
    return _build(Opcode.SET_RATE, {"rate_hz": rate_hz})


def set_led(
    red: int, green: int, blue: int, pattern: LedPattern = LedPattern.SOLID, period_ms: int = 0
) -> bytes:
    """Section 4.3: LED colour (0..255 each) and pattern; a pulse period of at least 334 ms (<= 3 Hz)."""
    for name, value in (("red", red), ("green", green), ("blue", blue)):
        _in_range(name, value, 0, 255)
    if pattern is LedPattern.PULSE:
        _in_range("pulse period_ms", period_ms, MIN_PULSE_PERIOD_MS, 10_000)
    params = {"red": red, "green": green, "blue": blue, "pattern": pattern.name, "period_ms": period_ms}
    return _build(Opcode.SET_LED, params)


def vibrate(strength_pct: int = 60, duration_ms: int = 150, repeat: int = 1) -> bytes:
    """Section 4.4: vibration pulse(s): strength 0..100 %, 10..2000 ms each, 1..5 pulses."""
    _in_range("strength_pct", strength_pct, 0, 100)
    _in_range("duration_ms", duration_ms, 10, 2000)
    _in_range("repeat", repeat, 1, 5)
    return _build(
        Opcode.VIBRATE, {"strength_pct": strength_pct, "duration_ms": duration_ms, "repeat": repeat}
    )


def tare_force() -> bytes:
    """Section 4.2: take the present force reading as zero."""
    return _build(Opcode.TARE_FORCE)


def identify(seconds: int = 3) -> bytes:
    """Section 4.2: blink the LED (slowly) for 1..30 s so the user can tell which puck is which."""
    _in_range("seconds", seconds, 1, 30)
    return _build(Opcode.IDENTIFY, {"seconds": seconds})


def request_status() -> bytes:
    """Section 4.2: ask the puck to notify its status record now."""
    return _build(Opcode.REQUEST_STATUS)


def _plain(value: Any) -> Any:
    """construct Containers and EnumIntegerStrings to plain dicts, ints and strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, str):
        return str(value)
    return value


def parse_command(data: bytes | bytearray | memoryview) -> Command:
    """Parse a command frame as the puck does. Raises ProtocolError for anything malformed or unknown."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"a command must be bytes, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) >= 2 and raw[0] == d.PROTOCOL_VERSION and raw[1] not in Opcode._value2member_map_:
        raise ProtocolError(f"unknown command opcode 0x{raw[1]:02x}")
    try:
        msg = d.COMMAND.parse(raw)
    except ConstructError as exc:
        raise ProtocolError(f"malformed command {raw.hex()}: {exc}") from None
    opcode = Opcode[str(msg.opcode)]
    params = _plain(msg.params) if msg.params is not None else {}
    if "pattern" in params:
        if params["pattern"] not in LedPattern.__members__:
            raise ProtocolError(f"SET_LED with unknown pattern {int(params['pattern'])}")
        params["pattern"] = LedPattern[params["pattern"]]
    _check_params(opcode, params)
    return Command(opcode, params)


def _check_params(opcode: Opcode, params: dict[str, Any]) -> None:
    """Section 4.1 "parameter out of range" (ATT error 0x83) as the puck checks it; may clamp in place."""
    if opcode is Opcode.SET_RATE and params["rate_hz"] not in d.RATE_HZ_TO_CODE:
        raise ProtocolError(f"SET_RATE to unsupported {params['rate_hz']} Hz")
    if opcode is Opcode.SET_LED and params["pattern"] is LedPattern.PULSE:
        # Section 4.3: the firmware clamps a faster pulse up to the 3 Hz photosensitivity limit.
        params["period_ms"] = max(params["period_ms"], MIN_PULSE_PERIOD_MS)
    elif opcode is Opcode.VIBRATE:
        _in_range("strength_pct", params["strength_pct"], 0, 100)
        _in_range("duration_ms", params["duration_ms"], 10, 2000)
        _in_range("repeat", params["repeat"], 1, 5)
    elif opcode is Opcode.IDENTIFY:
        _in_range("seconds", params["seconds"], 1, 30)
