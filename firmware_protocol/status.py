"""The status record (PROTOCOL.md section 5): battery, firmware, ranges, rate, state and error flags."""

from __future__ import annotations

from dataclasses import dataclass

from construct import ConstructError

from repquest.errors import ProtocolError

from . import definitions as d

__all__ = ["PuckStatus", "build_status", "parse_status"]

_STATE = ("streaming", "charging", "touch")
_ERRORS = ("imu_fault", "force_fault", "battery_low", "overheated", "fifo_overflow")


@dataclass(frozen=True, slots=True)
class PuckStatus:
    """What the puck says about itself. Ranges are the sensors' own; data packets always use section 3.3 scales."""

    battery_pct: int
    firmware: tuple[int, int, int]
    acc_range_g: int = 16
    gyr_range_dps: int = 2000
    rate_hz: int = 100
    samples_per_notification: int = 1
    streaming: bool = False
    charging: bool = False
    touch: bool = False
    errors: frozenset[str] = frozenset()

    @property
    def firmware_version(self) -> str:
        return ".".join(str(part) for part in self.firmware)


def build_status(status: PuckStatus) -> bytes:
    """Bytes of the status characteristic for this status."""
    unknown = status.errors - set(_ERRORS)
    if unknown:
        raise ProtocolError(f"unknown error flags {sorted(unknown)}")
    if not 0 <= status.battery_pct <= 100:
        # parse_status refuses such a record, so the simulator must never send one.
        raise ProtocolError(f"battery level must be 0..100 %, got {status.battery_pct}")
    try:
        return bytes(
            d.STATUS.build(
                {
                    "battery_pct": status.battery_pct,
                    "firmware": dict(zip(("major", "minor", "patch"), status.firmware, strict=True)),
                    "acc_range_g": status.acc_range_g,
                    "gyr_range_dps": status.gyr_range_dps,
                    "rate_hz": status.rate_hz,
                    "samples_per_notification": status.samples_per_notification,
                    "state": {name: getattr(status, name) for name in _STATE},
                    "errors": {name: name in status.errors for name in _ERRORS},
                    "extension": b"",
                }
            )
        )
    except (ConstructError, ValueError, TypeError) as exc:
        raise ProtocolError(f"cannot build status: {exc}") from None


def parse_status(data: bytes | bytearray | memoryview) -> PuckStatus:
    """Parse the status characteristic; bytes appended by a later minor revision are ignored (section 6)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ProtocolError(f"a status record must be bytes, not {type(data).__name__}")
    raw = bytes(data)
    if len(raw) < d.STATUS_SIZE:
        raise ProtocolError(f"status record too short: {len(raw)} bytes, need {d.STATUS_SIZE}")
    try:
        msg = d.STATUS.parse(raw)
    except ConstructError as exc:
        raise ProtocolError(f"malformed status record: {exc}") from None
    if msg.battery_pct > 100:
        raise ProtocolError(f"battery level {msg.battery_pct} % is above 100")
    return PuckStatus(
        battery_pct=msg.battery_pct,
        firmware=(msg.firmware.major, msg.firmware.minor, msg.firmware.patch),
        acc_range_g=msg.acc_range_g,
        gyr_range_dps=msg.gyr_range_dps,
        rate_hz=msg.rate_hz,
        samples_per_notification=msg.samples_per_notification,
        streaming=bool(msg.state.streaming),
        charging=bool(msg.state.charging),
        touch=bool(msg.state.touch),
        errors=frozenset(name for name in _ERRORS if msg.errors[name]),
    )
