"""Bluetooth: the transport seam, its implementations, stream integrity and the puck session.

Only :mod:`repquest.ble.bleak_transport` imports bleak; import it (or :func:`scan` / :func:`bleak_factory`
from it) where real Bluetooth is wanted. Everything here runs on a :class:`repquest.clock.Clock`.
"""

from .events import (
    BatteryLow,
    Connected,
    Disconnected,
    Reconnecting,
    SessionItem,
    SessionStats,
    StatusChanged,
    TimedBlock,
    WeakSignal,
)
from .integrity import DeviceClockMapper, SequenceTracker
from .profiles import DeviceKind, DeviceProfile, PuckProfile, profile_for
from .reconnect import Backoff, ReconnectPolicy
from .session import PuckSession, TransportFactory
from .slots import SLOTS, PuckSlot, interleave
from .transport import DeviceInfo, DisconnectCallback, NotifyCallback, Transport
from .virtual_transport import VirtualTransport

__all__ = [
    "SLOTS",
    "Backoff",
    "BatteryLow",
    "Connected",
    "DeviceClockMapper",
    "DeviceInfo",
    "DeviceKind",
    "DeviceProfile",
    "DisconnectCallback",
    "Disconnected",
    "NotifyCallback",
    "PuckProfile",
    "PuckSession",
    "PuckSlot",
    "ReconnectPolicy",
    "Reconnecting",
    "SequenceTracker",
    "SessionItem",
    "SessionStats",
    "StatusChanged",
    "TimedBlock",
    "Transport",
    "TransportFactory",
    "VirtualTransport",
    "WeakSignal",
    "interleave",
    "profile_for",
]
